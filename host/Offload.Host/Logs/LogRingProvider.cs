namespace Offload.Host.Logs;

/// <summary>
/// An <see cref="ILoggerProvider"/> that copies every enabled log record into the <see cref="LogRing"/> (the logging
/// configuration's filters apply to it like to the console). Formatting happens once per record, off the datapath.
/// </summary>
[ProviderAlias("Ring")]
internal sealed class LogRingProvider(LogRing ring, TimeProvider time) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new RingLogger(ring, time, categoryName);

    public void Dispose()
    {
    }

    private sealed class RingLogger(LogRing ring, TimeProvider time, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            ring.Add(time.GetUtcNow(), logLevel, category, eventId.Id, formatter(state, exception),
                exception is null ? null : exception.GetType().Name + ": " + exception.Message);
        }
    }
}
