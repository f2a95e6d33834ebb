using Offload.Emulation.Guest;

namespace Offload.Emulation.Tests;

/// <summary>Builds (or loads from cache) the guest image once for every QEMU test in the collection.</summary>
public sealed class GuestImageFixture : IAsyncLifetime
{
    private GuestImage? _image;
    private Exception? _failure;

    public GuestImage Image => _image ?? throw new InvalidOperationException(
        "The guest image could not be built; QEMU tests need apt-get, dpkg and ldd on the host. " +
        "Run 'apt-get install -y qemu-system-x86 tshark' and see emulation/Offload.Emulation/README.md.", _failure);

    public async Task InitializeAsync()
    {
        try
        {
            _image = await new GuestImageBuilder().BuildAsync();
        }
        catch (Exception ex)
        {
            _failure = ex;
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class GuestCollection : ICollectionFixture<GuestImageFixture>
{
    public const string Name = "QEMU guest";
}
