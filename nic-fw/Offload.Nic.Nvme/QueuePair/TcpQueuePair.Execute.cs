using System.Buffers.Binary;
using System.Text;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Pdu;
using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme.QueuePair;

internal sealed partial class TcpQueuePair
{
    private RequestState Execute(NvmeRequest req, ReadOnlySpan<byte> hostData)
    {
        var sqe = new SubmissionEntry(req.Sqe);
        if (sqe.Opcode == AdminOpcode.Fabrics)
        {
            req.Status = ExecuteFabrics(sqe, hostData, out var fabricsResult);
            req.Result = fabricsResult;
            return RequestState.ReadyToComplete;
        }

        var outLength = req.Direction == 2 ? req.TransferSize : 0;
        if (QueueId != 0 && outLength > 0 && sqe.Opcode == IoOpcode.Read && TryExecuteZeroCopyRead(req, sqe, outLength, out var next))
        {
            return next;
        }

        var pdo = _limits.ControllerDataOffset(PduWriter.C2HDataHeaderLength);
        var outData = _send.AsSpan(_sendLength + pdo, Math.Max(outLength, QueueId == 0 ? NvmeController.IdentifySize : 0));
        NvmeStatus status;
        ulong result = 0;
        if (QueueId == 0)
        {
            outData.Clear();
            status = _controller!.ExecuteAdmin(sqe, outData, out result, out var held);
            if (held)
            {
                return RequestState.Executing;
            }
        }
        else
        {
            status = ExecuteIo(sqe, hostData, outData[..outLength]);
        }

        req.Status = status;
        req.Result = result;
        if (!status.IsSuccess || outLength == 0)
        {
            return RequestState.ReadyToComplete;
        }

        var success = _sqFlowControlDisabled;
        PduWriter.WriteC2HDataHeader(_send.AsSpan(_sendLength), _limits, req.CommandId, 0, outLength, last: true, success);
        _sendLength += PduWriter.FinishC2HData(_send.AsSpan(_sendLength), _limits, pdo, outLength);
        if (success)
        {
            CompletionQueue.Add(1);
            return RequestState.Completed;
        }

        return RequestState.ReadyToComplete;
    }

    private NvmeStatus ExecuteFabrics(in SubmissionEntry sqe, ReadOnlySpan<byte> data, out ulong result)
    {
        result = 0;
        switch (sqe.FabricsType)
        {
            case FabricsType.Connect:
                return _controller is null ? Connect(sqe, data, out result) : NvmeStatus.CommandSequenceError;
            case FabricsType.PropertyGet when QueueId == 0 && _controller is not null:
                return _controller.GetProperty(sqe.Dword(11), (sqe.Bytes[40] & 7) == 1, out result);
            case FabricsType.PropertySet when QueueId == 0 && _controller is not null:
                return _controller.SetProperty(sqe.Dword(11), (sqe.Bytes[40] & 7) == 1, sqe.Qword(12));
            case FabricsType.Disconnect when _controller is not null:
                _closeAfterFlush = true;
                return NvmeStatus.Success;
            default:
                return _controller is null ? NvmeStatus.CommandSequenceError : NvmeStatus.InvalidField;
        }
    }

    /// <summary>Fabrics Connect (NVMe-oF 1.1, 3.3): RECFMT@40, QID@42, SQSIZE@44, CATTR@46, KATO@48; data: HOSTID@0,
    /// CNTLID@16, SUBNQN@256, HOSTNQN@512. DW0 of a failure carries IATTR@0 and IPO@16.</summary>
    private NvmeStatus Connect(in SubmissionEntry sqe, ReadOnlySpan<byte> data, out ulong result)
    {
        result = 0;
        var bytes = sqe.Bytes;
        var recfmt = BinaryPrimitives.ReadUInt16LittleEndian(bytes[40..]);
        var qid = BinaryPrimitives.ReadUInt16LittleEndian(bytes[42..]);
        var sqsize = BinaryPrimitives.ReadUInt16LittleEndian(bytes[44..]);
        var cattr = bytes[46];
        var kato = BinaryPrimitives.ReadUInt32LittleEndian(bytes[48..]);
        if (recfmt != 0)
        {
            return NvmeStatus.ConnectIncompatibleFormat;
        }

        if (data.Length != 1024)
        {
            return NvmeStatus.DataSglLengthInvalid;
        }

        var hostId = new Guid(data[..16], bigEndian: true);
        var cntlid = BinaryPrimitives.ReadUInt16LittleEndian(data[16..]);
        var subNqn = ReadNqn(data.Slice(256, 256));
        var hostNqn = ReadNqn(data.Slice(512, 256));
        if (!_target.Catalog.TryGet(subNqn, out var subsystem))
        {
            result = InvalidParameter(data: true, 256);
            return NvmeStatus.ConnectInvalidParameters;
        }

        if (!subsystem.IsHostAllowed(hostNqn))
        {
            return NvmeStatus.ConnectInvalidHost;
        }

        if (sqsize == 0 || sqsize >= _config.MaxQueueEntries)
        {
            result = InvalidParameter(data: false, 44);
            return NvmeStatus.ConnectInvalidParameters;
        }

        NvmeController? controller;
        if (qid == 0)
        {
            if (cntlid < 0xFFFE)
            {
                result = InvalidParameter(data: true, 16);
                return NvmeStatus.ConnectInvalidParameters;
            }

            var app = new AppId(hostNqn, hostId);
            controller = subsystem.TryCreateController(id => new NvmeController(id, subsystem, app, kato, _config, _target.Catalog, _target.Time));
            if (controller is null)
            {
                return NvmeStatus.ConnectControllerBusy;
            }
        }
        else
        {
            if (subsystem.IsDiscovery)
            {
                result = InvalidParameter(data: false, 42);
                return NvmeStatus.ConnectInvalidParameters;
            }

            if (!subsystem.TryGetController(cntlid, out controller) || controller.App.HostNqn != hostNqn ||
                controller.App.HostId != hostId)
            {
                result = InvalidParameter(data: true, 16);
                return NvmeStatus.ConnectInvalidParameters;
            }

            if (!controller.IsReady)
            {
                return NvmeStatus.CommandSequenceError;
            }

            if (qid > controller.IoQueuesGranted)
            {
                result = InvalidParameter(data: false, 42);
                return NvmeStatus.ConnectInvalidParameters;
            }
        }

        QueueId = qid;
        if (!controller.TryAttachQueue(this))
        {
            QueueId = 0;
            result = InvalidParameter(data: false, 42);
            return NvmeStatus.ConnectInvalidParameters;
        }

        _controller = controller;
        if (qid != 0)
        {
            JoinArbiter();
        }

        _sqSize = (ushort)(sqsize + 1);
        _sqFlowControlDisabled = (cattr & 0x04) != 0;
        _limits.MaxInCapsuleDataSize = qid == 0 ? 8192 : IoInCapsuleSize;
        SubmissionQueue.QueueSize = _sqSize;
        CompletionQueue.QueueSize = _sqSize;
        DescribeConnection(controller);
        controller.KeepAlive();
        result = controller.Id.Value;
        return NvmeStatus.Success;
    }

    private static ulong InvalidParameter(bool data, ushort offset) => (data ? 1u : 0u) | ((ulong)offset << 16);

    private static string ReadNqn(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? field : field[..end]);
    }
}
