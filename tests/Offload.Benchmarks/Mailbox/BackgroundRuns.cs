using Offload.Contracts.Mailbox;

namespace Offload.Benchmarks.Mailbox;

/// <summary>The tasks a benchmark's setup leaves running (mailbox ends, poll loops): one token stops them all at
/// cleanup.</summary>
internal sealed class BackgroundRuns
{
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    public CancellationToken Token => _stop.Token;

    public void Add(params Task[] tasks) => _running = Task.WhenAll([_running, .. tasks]);

    /// <summary>Waits until <paramref name="client"/> and <paramref name="device"/> have a session (30 s at most).</summary>
    public static void WaitForSession(MailboxClient client, MailboxDevice device, MailboxEndpoint endpoint)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (client.Session?.Peer is null || device.Sessions.Count == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"mailbox session over {endpoint} did not come up within 30 s");
            }

            Thread.Sleep(10);
        }
    }

    /// <summary>Cancels everything and waits for it (10 s at most).</summary>
    public void Stop()
    {
        _stop.Cancel();
        try
        {
            _running.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // shutting down
        }

        _stop.Dispose();
    }
}
