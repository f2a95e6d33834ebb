using System.Buffers.Binary;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Namespace;
using Offload.Nic.Nvme.Pdu;

namespace Offload.Nic.Nvme.QueuePair;

internal sealed partial class TcpQueuePair
{
    private const int DsmRangeSize = 16;

    /// <summary>NVM command checks before any data moves: opcode, namespace of *this* controller's subsystem, ready,
    /// LBA range (with 64-bit wraparound), SGL length vs NLB (NVM Command Set 1.0, 3.2).</summary>
    private NvmeStatus ValidateIo(in SubmissionEntry sqe)
    {
        var opcode = sqe.Opcode;
        if (opcode is not (IoOpcode.Read or IoOpcode.Write or IoOpcode.Flush or IoOpcode.WriteZeroes or IoOpcode.DatasetManagement))
        {
            return NvmeStatus.InvalidOpcode;
        }

        if (!_controller!.IsReady)
        {
            return NvmeStatus.CommandSequenceError;
        }

        if (opcode == IoOpcode.Flush && sqe.Nsid == uint.MaxValue)
        {
            return sqe.SglLength == 0 ? NvmeStatus.Success : NvmeStatus.DataSglLengthInvalid;
        }

        if (!_controller.Subsystem.TryGetNamespace(sqe.Nsid, out var ns))
        {
            return NvmeStatus.InvalidNamespaceOrFormat;
        }

        if (!ns.IsReady)
        {
            return NvmeStatus.NamespaceNotReady;
        }

        switch (opcode)
        {
            case IoOpcode.Read or IoOpcode.Write or IoOpcode.WriteZeroes:
            {
                var slba = sqe.Qword(10);
                var blocks = (sqe.Dword(12) & 0xFFFF) + 1UL;
                if (!ns.ContainsRange(slba, blocks))
                {
                    return NvmeStatus.LbaOutOfRange;
                }

                var expected = opcode == IoOpcode.WriteZeroes ? 0UL : blocks << ns.BlockSizeShift;
                return sqe.SglLength != expected ? NvmeStatus.DataSglLengthInvalid : NvmeStatus.Success;
            }

            case IoOpcode.DatasetManagement:
            {
                var ranges = (sqe.Dword(10) & 0xFF) + 1;
                return sqe.SglLength != ranges * DsmRangeSize ? NvmeStatus.DataSglLengthInvalid : NvmeStatus.Success;
            }

            default:
                return sqe.SglLength == 0 ? NvmeStatus.Success : NvmeStatus.DataSglLengthInvalid;
        }
    }

    private NvmeStatus ExecuteIo(in SubmissionEntry sqe, ReadOnlySpan<byte> hostData, Span<byte> controllerData)
    {
        var controller = _controller!;
        if (sqe.Opcode == IoOpcode.Flush && sqe.Nsid == uint.MaxValue)
        {
            _target.Catalog.Region.Flush();
            return NvmeStatus.Success;
        }

        controller.Subsystem.TryGetNamespace(sqe.Nsid, out var ns);
        var offset = (long)(sqe.Qword(10) << ns.BlockSizeShift);
        if (sqe.Opcode is IoOpcode.Write or IoOpcode.WriteZeroes or IoOpcode.DatasetManagement)
        {
            // A write must never wait for zero-copy pins this connection's own thread holds.
            SettleZeroCopy();
        }

        switch (sqe.Opcode)
        {
            case IoOpcode.Read:
                ns.Store.Read(offset, controllerData);
                Interlocked.Increment(ref controller.HostReadCommands);
                Interlocked.Add(ref controller.DataUnitsRead, controllerData.Length >> 9);
                _connection.CountRead(controllerData.Length);
                return NvmeStatus.Success;
            case IoOpcode.Write:
                ns.Store.Write(offset, hostData);
                Interlocked.Increment(ref controller.HostWriteCommands);
                Interlocked.Add(ref controller.DataUnitsWritten, hostData.Length >> 9);
                _connection.CountWrite(hostData.Length);
                return NvmeStatus.Success;
            case IoOpcode.WriteZeroes:
                ns.Store.Zero(offset, (long)((sqe.Dword(12) & 0xFFFF) + 1UL) << ns.BlockSizeShift);
                return NvmeStatus.Success;
            case IoOpcode.Flush:
                ns.Store.Flush();
                return NvmeStatus.Success;
            case IoOpcode.DatasetManagement:
                return Deallocate(ns, sqe, hostData);
            default:
                return NvmeStatus.InvalidOpcode;
        }
    }

    /// <summary>DSM with AD (CDW11 bit 2): every range is checked first, then deallocated blocks read as zeroes.</summary>
    private static NvmeStatus Deallocate(NvmeNamespace ns, in SubmissionEntry sqe, ReadOnlySpan<byte> ranges)
    {
        if ((sqe.Dword(11) & 0x4) == 0)
        {
            return NvmeStatus.Success;
        }

        for (var i = 0; i + DsmRangeSize <= ranges.Length; i += DsmRangeSize)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(ranges[(i + 4)..]);
            var slba = BinaryPrimitives.ReadUInt64LittleEndian(ranges[(i + 8)..]);
            if (!ns.ContainsRange(slba, length))
            {
                return NvmeStatus.LbaOutOfRange;
            }
        }

        for (var i = 0; i + DsmRangeSize <= ranges.Length; i += DsmRangeSize)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(ranges[(i + 4)..]);
            var slba = BinaryPrimitives.ReadUInt64LittleEndian(ranges[(i + 8)..]);
            ns.Store.Zero((long)(slba << ns.BlockSizeShift), (long)length << ns.BlockSizeShift);
        }

        return NvmeStatus.Success;
    }

    /// <summary>H2CData (NVMe/TCP 1.0, 3.6.2.10): TTAG must name a request awaiting data, CCCID must match, DATAO must
    /// be the next expected offset, DATAO+DATAL within the R2T. A data digest error fails only that command.</summary>
    private ProcessResult HandleH2CData(ReadOnlySpan<byte> pdu)
    {
        var error = H2CDataPdu.TryParse(pdu, _limits, out var data);
        if (!error.IsError)
        {
            if (_controller is { } receiving)
            {
                Interlocked.Increment(ref receiving.PdusReceived);
                _connection.CountPdu();
            }

            if (data.TransferTag >= _requests.Length ||
                _requests[data.TransferTag].State != RequestState.TransferringHostToController)
            {
                error = PduError.InvalidField(10);
            }
            else
            {
                var req = _requests[data.TransferTag];
                if (data.CommandId != req.CommandId)
                {
                    error = PduError.InvalidField(8);
                }
                else if (data.DataOffset != (uint)req.Received)
                {
                    error = PduError.InvalidField(12);
                }
                else if ((ulong)data.DataOffset + data.DataLength > (ulong)req.TransferSize)
                {
                    error = new PduError(FatalErrorStatus.DataTransferOutOfRange, 16);
                }
                else if (data.Last != (data.DataOffset + data.DataLength == (uint)req.TransferSize))
                {
                    error = PduError.InvalidField(1);
                }
                else
                {
                    data.Data.CopyTo(req.Buffer.AsSpan(req.Received));
                    req.Received += data.Data.Length;
                    req.DataDigestFailed |= !data.DataDigestValid;
                    Process(req, default);
                    return _closeAfterFlush ? ProcessResult.Close : ProcessResult.NeedReceive;
                }
            }
        }

        Terminate(error, pdu[..Math.Min(pdu.Length, 128)]);
        return ProcessResult.Close;
    }
}
