using System.Diagnostics;

namespace Offload.Contracts.Tests.MessagePack;

/// <summary>
/// Runs the system /usr/bin/python3 with python3-msgpack as an independent MessagePack implementation.
/// Fails (never skips) when it is missing.
/// </summary>
internal static class PythonMsgpack
{
    public const string Python = "/usr/bin/python3";

    /// <summary>Generates values (gen) or checks C#-written values against expected dumps (check).</summary>
    public const string Script = """
        import random, struct, sys
        import msgpack
        from msgpack import ExtType, Timestamp

        def dump(v):
            if v is None: return 'n'
            if v is True: return 't'
            if v is False: return 'f'
            if isinstance(v, int): return 'i%d' % v
            if isinstance(v, float):
                return 'dnan' if v != v else 'd' + struct.pack('>d', v).hex()
            if isinstance(v, str): return 's' + v.encode('utf-8').hex()
            if isinstance(v, (bytes, bytearray)): return 'b' + bytes(v).hex()
            if isinstance(v, Timestamp): return 'T%d.%d' % (v.seconds, v.nanoseconds)
            if isinstance(v, ExtType): return 'e%d:%s' % (v.code, v.data.hex())
            if isinstance(v, (list, tuple)): return '[' + ','.join(dump(x) for x in v) + ']'
            if isinstance(v, dict): return '{' + ','.join(dump(k) + ':' + dump(x) for k, x in v.items()) + '}'
            raise TypeError(type(v))

        EDGES = [0, 1, 31, 32, 127, 128, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**63 - 1, 2**63, 2**64 - 1,
                 -1, -31, -32, -33, -127, -128, -129, -32768, -32769, -2**31, -2**31 - 1, -2**63]
        LENGTHS = [0, 1, 15, 16, 31, 32, 255, 256]
        RANGES = [(0x20, 0x7e), (0x00, 0x7f), (0xa0, 0x2ff), (0x3000, 0x9fff), (0xe000, 0xfffd), (0x10000, 0x10ffff)]

        def length(r):
            if r.randrange(1000) == 0: return r.choice([65535, 65536])
            return r.choice(LENGTHS) if r.randrange(20) < 6 else r.randrange(40)

        def text(r):
            lo, hi = r.choice(RANGES)
            return ''.join(chr(r.randint(lo, hi)) for _ in range(length(r)))

        def integer(r):
            k = r.randrange(4)
            if k == 0: return r.choice(EDGES)
            if k == 1: return r.randint(-40, 200)
            if k == 2: return r.randint(-2**63, 2**64 - 1)
            return r.randint(-2**63, 2**63 - 1) >> r.randrange(64)

        def value(r, depth):
            k = r.randrange(9 if depth >= 5 else 12)
            if k == 0: return None
            if k == 1: return r.random() < 0.5
            if k in (2, 3): return integer(r)
            if k == 4: return struct.unpack('>d', r.getrandbits(64).to_bytes(8, 'big'))[0]
            if k == 5: return r.choice([0.0, -0.0, 1.5, float('inf'), float('-inf'), r.random() * 1e9])
            if k == 6: return text(r)
            if k == 7: return bytes(r.getrandbits(8) for _ in range(length(r)))
            if k == 8:
                if r.random() < 0.4:
                    lo, hi = r.choice([(0, 2**32 - 1), (0, 2**34 - 1), (-62135596800, 253402300799)])
                    return Timestamp(r.randint(lo, hi), r.choice([0, r.randrange(10**7) * 100]))
                n = r.choice([1, 2, 4, 8, 16, 0, 3, 17, 255, 256])
                return ExtType(r.randrange(128), bytes(r.getrandbits(8) for _ in range(n)))
            n = r.randint(15, 20) if r.randrange(8) == 0 else r.randrange(6)
            if k in (9, 10): return [value(r, depth + 1) for _ in range(n)]
            d = {}
            while len(d) < n:
                d[text(r) if r.random() < 0.5 else integer(r)] = value(r, depth + 1)
            return d

        def gen(seed, count, packed_path, dump_path):
            r = random.Random(seed)
            with open(packed_path, 'wb') as packed, open(dump_path, 'w') as dumps:
                big = [list(range(70000)), {i: -i for i in range(70000)}]  # array32 and map32
                for i in range(count):
                    v = big[i] if i < len(big) else value(r, 0)
                    packed.write(msgpack.packb(v, use_bin_type=True))
                    dumps.write(dump(v) + '\n')
            print('generated', count)

        def check(packed_path, expected_path, dump_path):
            with open(expected_path) as f:
                expected = f.read().split('\n')[:-1]
            with open(packed_path, 'rb') as f:
                data = f.read()
            unpacker = msgpack.Unpacker(raw=False, strict_map_key=False, timestamp=0,
                                        max_buffer_size=max(len(data), 1))
            unpacker.feed(data)
            count = 0
            with open(dump_path, 'w') as out:
                for v in unpacker:
                    d = dump(v)
                    out.write(d + '\n')
                    if count >= len(expected) or d != expected[count]:
                        exp = expected[count] if count < len(expected) else '<none>'
                        print('MISMATCH at value %d\n python: %s\n csharp: %s' % (count, d[:400], exp[:400]))
                        sys.exit(1)
                    count += 1
            if count != len(expected):
                print('COUNT python read %d values, C# wrote %d' % (count, len(expected)))
                sys.exit(1)
            print('checked', count)

        if sys.argv[1] == 'gen':
            gen(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5])
        else:
            check(sys.argv[2], sys.argv[3], sys.argv[4])
        """;

    /// <summary>Fails the test with the install command when python3-msgpack is missing.</summary>
    /// <param name="pythonFlags">Extra interpreter flags (tests use <c>-S</c> to simulate a missing package).</param>
    public static void RequireInstalled(params string[] pythonFlags)
    {
        if (!File.Exists(Python))
        {
            Assert.Fail($"{Python} is missing: run `apt-get install -y python3 python3-msgpack`");
        }

        (int exit, string output) = Run(TimeSpan.FromSeconds(60), [.. pythonFlags, "-c", "import msgpack"]);
        if (exit != 0)
        {
            Assert.Fail($"python3-msgpack is missing (import msgpack failed: {output.Trim()}): run `apt-get install -y python3-msgpack`");
        }
    }

    public static (int ExitCode, string Output) RunScript(string directory, TimeSpan timeout, params string[] args)
    {
        string script = Path.Combine(directory, "msgpack_interop.py");
        File.WriteAllText(script, Script);
        return Run(timeout, [script, .. args]);
    }

    /// <summary>Runs a short python3 program (<c>python3 -c CODE ARGS</c>); for per-message oracle tests.</summary>
    public static (int ExitCode, string Output) RunCode(TimeSpan timeout, string code, params string[] args) => Run(timeout, ["-c", code, .. args]);
    /// <summary>Runs a python3 program given as text with <paramref name="args"/> (message oracle tests).</summary>
    public static (int ExitCode, string Output) RunCode(string code, TimeSpan timeout, params string[] args) =>
        Run(timeout, ["-c", code, .. args]);

    private static (int ExitCode, string Output) Run(TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"python3 did not finish within {timeout}");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
