namespace Offload.Emulation.Guest;

/// <summary>A built guest: the kernel to boot and its initramfs (both inside the content-addressed cache).</summary>
/// <param name="KernelPath">vmlinuz from the linux-image deb.</param>
/// <param name="InitramfsPath">gzip-compressed newc cpio with /init, busybox, nvme-cli, fio, iperf3, libraries and modules.</param>
/// <param name="Key">Content hash of every input (package versions, init script, module list).</param>
/// <param name="ModuleOrder">Modules in the order /init insmods them.</param>
public sealed record GuestImage(string KernelPath, string InitramfsPath, string Key, IReadOnlyList<string> ModuleOrder);
