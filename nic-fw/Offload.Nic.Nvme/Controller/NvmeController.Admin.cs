using System.Buffers.Binary;

namespace Offload.Nic.Nvme.Controller;

public sealed partial class NvmeController
{
    private const byte FeatureVolatileWriteCache = 0x06;
    private const byte FeatureNumberOfQueues = 0x07;
    private const byte FeatureAsyncEventConfig = 0x0B;
    private const byte FeatureKeepAliveTimer = 0x0F;

    /// <summary>
    /// Executes an admin command (not Fabrics). <paramref name="controllerData"/> is already cleared to the SGL length
    /// of a controller-to-host transfer. <paramref name="held"/> means no completion is sent now (AER).
    /// </summary>
    public NvmeStatus ExecuteAdmin(in SubmissionEntry sqe, Span<byte> controllerData, out ulong result, out bool held)
    {
        result = 0;
        held = false;
        switch (sqe.Opcode)
        {
            case AdminOpcode.Identify:
                return Identify(sqe, controllerData);
            case AdminOpcode.GetLogPage:
                return GetLogPage(sqe, controllerData);
            case AdminOpcode.KeepAlive:
                KeepAlive();
                return NvmeStatus.Success;
            case AdminOpcode.AsyncEventRequest:
                return HandleAsyncEventRequest(sqe.CommandId, out result, out held);
            case AdminOpcode.SetFeatures:
                return SetFeature(sqe, out result);
            case AdminOpcode.GetFeatures:
                return GetFeature(sqe, out result);
            case AdminOpcode.Abort:
                // Commands execute to completion synchronously; report "not aborted" (DW0 bit 0 = 1).
                result = 1;
                return NvmeStatus.Success;
            default:
                return NvmeStatus.InvalidOpcode;
        }
    }

    private NvmeStatus SetFeature(in SubmissionEntry sqe, out ulong result)
    {
        result = 0;
        var fid = (byte)sqe.Dword(10);
        var cdw11 = sqe.Dword(11);
        switch (fid)
        {
            case FeatureNumberOfQueues when !IsDiscovery:
            {
                if ((cdw11 & 0xFFFF) == 0xFFFF || (cdw11 >> 16) == 0xFFFF)
                {
                    return NvmeStatus.InvalidField;
                }

                if (IoQueuesGranted == 0)
                {
                    var requested = (int)Math.Min(cdw11 & 0xFFFF, cdw11 >> 16) + 1;
                    // Queue id 65535 stays free: telemetry uses it for "every queue of the application".
                    IoQueuesGranted = Math.Min(Math.Min(requested, _catalog.Grants.IoQueueLimit(App, _config.MaxIoQueues)), ushort.MaxValue - 1);
                }

                var granted = (uint)(IoQueuesGranted - 1);
                result = granted | (granted << 16);
                return NvmeStatus.Success;
            }

            case FeatureKeepAliveTimer:
                KeepAliveTimeoutMs = cdw11;
                KeepAlive();
                return NvmeStatus.Success;
            case FeatureAsyncEventConfig:
                SetAsyncEventConfig(cdw11);
                return NvmeStatus.Success;
            case FeatureVolatileWriteCache when !IsDiscovery:
                VolatileWriteCacheEnabled = (cdw11 & 1) != 0;
                return NvmeStatus.Success;
            default:
                return NvmeStatus.InvalidField;
        }
    }

    private NvmeStatus GetFeature(in SubmissionEntry sqe, out ulong result)
    {
        result = 0;
        var fid = (byte)sqe.Dword(10);
        var sel = (sqe.Dword(10) >> 8) & 0x7;
        if (sel == 3)
        {
            // Supported capabilities: every feature we implement is changeable, none saveable.
            result = 0x4;
            return NvmeStatus.Success;
        }

        switch (fid)
        {
            case FeatureNumberOfQueues when !IsDiscovery:
            {
                var granted = (uint)Math.Max(IoQueuesGranted - 1, 0);
                result = granted | (granted << 16);
                return NvmeStatus.Success;
            }

            case FeatureKeepAliveTimer:
                result = KeepAliveTimeoutMs;
                return NvmeStatus.Success;
            case FeatureAsyncEventConfig:
                result = AsyncEventConfig;
                return NvmeStatus.Success;
            case FeatureVolatileWriteCache when !IsDiscovery:
                result = VolatileWriteCacheEnabled ? 1u : 0u;
                return NvmeStatus.Success;
            default:
                return NvmeStatus.InvalidField;
        }
    }

    private static void WritePadded(Span<byte> destination, string text)
    {
        destination.Fill((byte)' ');
        for (var i = 0; i < text.Length && i < destination.Length; i++)
        {
            destination[i] = (byte)text[i];
        }
    }

    private static void WriteNqn(Span<byte> destination, string nqn)
    {
        destination.Clear();
        for (var i = 0; i < nqn.Length && i < destination.Length - 1; i++)
        {
            destination[i] = (byte)nqn[i];
        }
    }

    private static void WriteU16(Span<byte> d, int offset, int value) => BinaryPrimitives.WriteUInt16LittleEndian(d[offset..], (ushort)value);

    private static void WriteU32(Span<byte> d, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(d[offset..], value);

    private static void WriteU64(Span<byte> d, int offset, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(d[offset..], value);
}
