using System.Buffers.Binary;
using System.Text;

namespace DFLComposite.Engine.Facesets.Dfl;

/// <summary>A numpy array rebuilt from a pickle: dtype string (e.g. "&lt;f4"), shape, raw little-endian bytes.</summary>
public sealed record NdArray(string DType, int[] Shape, byte[] Data)
{
    public float[] ToFloats()
    {
        string kind = DType.TrimStart('<', '|', '=');
        int n = Shape.Aggregate(1, (a, b) => a * b);
        var result = new float[n];
        for (int i = 0; i < n; i++)
        {
            result[i] = kind switch
            {
                "f4" => BinaryPrimitives.ReadSingleLittleEndian(Data.AsSpan(i * 4)),
                "f8" => (float)BinaryPrimitives.ReadDoubleLittleEndian(Data.AsSpan(i * 8)),
                "i4" => BinaryPrimitives.ReadInt32LittleEndian(Data.AsSpan(i * 4)),
                "i8" => BinaryPrimitives.ReadInt64LittleEndian(Data.AsSpan(i * 8)),
                _ => throw new PickleException($"unsupported numpy dtype {DType}"),
            };
        }

        return result;
    }

    public double[] ToDoubles() =>
        DType.TrimStart('<', '|', '=') == "f8"
            ? Enumerable.Range(0, Data.Length / 8).Select(i => BinaryPrimitives.ReadDoubleLittleEndian(Data.AsSpan(i * 8))).ToArray()
            : ToFloats().Select(f => (double)f).ToArray();
}

/// <summary>A pickle that is malformed, or that asks for anything beyond plain data and numpy arrays.</summary>
public sealed class PickleException(string message) : Exception(message);

/// <summary>
/// Reads the subset of Python's pickle format that DeepFaceLab's face metadata uses — dicts, lists, tuples,
/// strings, numbers, bytes and numpy arrays — without executing anything. Pickle's GLOBAL/REDUCE opcodes can
/// call any Python function; here they are interpreted only for the handful of numpy constructors (and
/// <c>_codecs.encode</c> for protocol-2 bytes) whose effect we reproduce in C#. Any other global is refused.
/// </summary>
public static class SafePickle
{
    private static readonly HashSet<string> AllowedGlobals =
    [
        "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
        "numpy.ndarray", "numpy.dtype", "_codecs.encode", "collections.OrderedDict",
    ];

    private static readonly object Mark = new();

    public static object? Load(byte[] data)
    {
        var stack = new List<object?>();
        var memo = new Dictionary<int, object?>();
        int pos = 0;

        byte U8() => pos < data.Length ? data[pos++] : throw Truncated();
        int I32()
        {
            Need(4);
            int v = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(pos));
            pos += 4;
            return v;
        }

        byte[] Bytes(long n)
        {
            if (n < 0 || n > data.Length - pos)
            {
                throw Truncated();
            }

            byte[] b = data[pos..(pos + (int)n)];
            pos += (int)n;
            return b;
        }

        string Line()
        {
            int end = Array.IndexOf(data, (byte)'\n', pos);
            if (end < 0)
            {
                throw Truncated();
            }

            string s = Encoding.UTF8.GetString(data, pos, end - pos);
            pos = end + 1;
            return s;
        }

        void Need(int n)
        {
            if (pos + n > data.Length)
            {
                throw Truncated();
            }
        }

        object? Pop()
        {
            if (stack.Count == 0)
            {
                throw new PickleException("stack underflow");
            }

            object? v = stack[^1];
            stack.RemoveAt(stack.Count - 1);
            return v;
        }

        List<object?> PopMark()
        {
            int m = stack.LastIndexOf(Mark);
            if (m < 0)
            {
                throw new PickleException("no MARK on the stack");
            }

            List<object?> items = stack.GetRange(m + 1, stack.Count - m - 1);
            stack.RemoveRange(m, stack.Count - m);
            return items;
        }

        while (true)
        {
            byte op = U8();
            switch (op)
            {
                case 0x80: U8(); break; // PROTO
                case 0x95: Bytes(8); break; // FRAME
                case (byte)'.': return stack.Count == 1 ? Unwrap(stack[0]) : throw new PickleException("STOP with a malformed stack");
                case (byte)'(': stack.Add(Mark); break;
                case (byte)'}': stack.Add(new Dictionary<object, object?>()); break;
                case (byte)']': stack.Add(new List<object?>()); break;
                case (byte)')': stack.Add(Array.Empty<object?>()); break;
                case (byte)'N': stack.Add(null); break;
                case 0x88: stack.Add(true); break;
                case 0x89: stack.Add(false); break;
                case (byte)'J': stack.Add((long)I32()); break;
                case (byte)'K': stack.Add((long)U8()); break;
                case (byte)'M': Need(2); stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(pos))); pos += 2; break;
                case 0x8a: // LONG1
                {
                    byte[] b = Bytes(U8());
                    long v = 0;
                    for (int i = b.Length - 1; i >= 0; i--)
                    {
                        v = (v << 8) | b[i];
                    }

                    if (b.Length is > 0 and < 8 && (b[^1] & 0x80) != 0)
                    {
                        v -= 1L << (8 * b.Length);
                    }

                    stack.Add(v);
                    break;
                }

                case (byte)'G': Need(8); stack.Add(BinaryPrimitives.ReadDoubleBigEndian(data.AsSpan(pos))); pos += 8; break;
                case (byte)'X': stack.Add(Encoding.UTF8.GetString(Bytes((uint)I32()))); break; // BINUNICODE
                case 0x8c: stack.Add(Encoding.UTF8.GetString(Bytes(U8()))); break; // SHORT_BINUNICODE
                case (byte)'T': stack.Add(Encoding.Latin1.GetString(Bytes((uint)I32()))); break; // BINSTRING
                case (byte)'U': stack.Add(Encoding.Latin1.GetString(Bytes(U8()))); break; // SHORT_BINSTRING
                case (byte)'B': stack.Add(Bytes((uint)I32())); break; // BINBYTES
                case (byte)'C': stack.Add(Bytes(U8())); break; // SHORT_BINBYTES
                case 0x8e: // BINBYTES8
                {
                    Need(8);
                    long n8 = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(pos));
                    pos += 8;
                    stack.Add(Bytes(n8));
                    break;
                }

                case (byte)'q': memo[U8()] = stack[^1]; break; // BINPUT
                case (byte)'r': memo[I32()] = stack[^1]; break; // LONG_BINPUT
                case 0x94: memo[memo.Count] = stack[^1]; break; // MEMOIZE
                case (byte)'h': stack.Add(memo.TryGetValue(U8(), out var m1) ? m1 : throw new PickleException("unknown memo key")); break;
                case (byte)'j': stack.Add(memo.TryGetValue(I32(), out var m2) ? m2 : throw new PickleException("unknown memo key")); break;
                case 0x85: stack.Add(new[] { Pop() }); break; // TUPLE1
                case 0x86: { object? b = Pop(), a = Pop(); stack.Add(new[] { a, b }); break; }
                case 0x87: { object? c = Pop(), b = Pop(), a = Pop(); stack.Add(new[] { a, b, c }); break; }
                case (byte)'t': stack.Add(PopMark().ToArray()); break; // TUPLE
                case (byte)'l': stack.Add(PopMark()); break; // LIST
                case (byte)'a': { object? v = Pop(); AsList(stack[^1]).Add(v); break; } // APPEND
                case (byte)'e': { List<object?> items = PopMark(); AsList(stack[^1]).AddRange(items); break; } // APPENDS
                case (byte)'d': { List<object?> items = PopMark(); var d = new Dictionary<object, object?>(); AddPairs(d, items); stack.Add(d); break; } // DICT
                case (byte)'s': { object? v = Pop(), k = Pop(); AsDict(stack[^1])[Key(k)] = v; break; } // SETITEM
                case (byte)'u': { List<object?> items = PopMark(); AddPairs(AsDict(stack[^1]), items); break; } // SETITEMS
                case (byte)'c': stack.Add(Global(Line(), Line())); break; // GLOBAL
                case 0x93: { object? name = Pop(), module = Pop(); stack.Add(Global(module as string ?? "", name as string ?? "")); break; } // STACK_GLOBAL
                case (byte)'R': { object? args = Pop(), fn = Pop(); stack.Add(Reduce(fn, args as object?[] ?? throw new PickleException("REDUCE arguments are not a tuple"))); break; }
                case (byte)'b': { object? state = Pop(); Build(stack[^1], state); break; } // BUILD
                default:
                    throw new PickleException($"unsupported pickle opcode 0x{op:x2} at byte {pos - 1}");
            }
        }
    }

    private static PickleException Truncated() => new("the pickle is truncated");

    private static List<object?> AsList(object? o) => o as List<object?> ?? throw new PickleException("APPEND to something that is not a list");

    private static Dictionary<object, object?> AsDict(object? o) => o as Dictionary<object, object?> ?? throw new PickleException("SETITEM on something that is not a dict");

    private static object Key(object? k) => k ?? throw new PickleException("None as a dict key");

    private static void AddPairs(Dictionary<object, object?> d, List<object?> items)
    {
        for (int i = 0; i + 1 < items.Count; i += 2)
        {
            d[Key(items[i])] = items[i + 1];
        }
    }

    private sealed record GlobalRef(string Name);

    private sealed class DTypeBuilder(string type)
    {
        public string Type { get; set; } = type;
    }

    private sealed class ArrayBuilder
    {
        public NdArray? Array { get; set; }
    }

    private static GlobalRef Global(string module, string name)
    {
        string full = $"{module}.{name}";
        return AllowedGlobals.Contains(full)
            ? new GlobalRef(full)
            : throw new PickleException($"refused to load '{full}': the metadata tries to call code, which DFLComposite never runs");
    }

    private static object Reduce(object? fn, object?[] args)
    {
        string name = (fn as GlobalRef)?.Name ?? throw new PickleException("REDUCE of something that is not an allowed global");
        return name switch
        {
            "numpy.core.multiarray._reconstruct" or "numpy._core.multiarray._reconstruct" => new ArrayBuilder(),
            "numpy.dtype" => new DTypeBuilder(args.Length > 0 && args[0] is string s ? s : throw new PickleException("numpy.dtype without a type string")),
            "_codecs.encode" => args.Length > 0 && args[0] is string text ? Encoding.Latin1.GetBytes(text) : throw new PickleException("_codecs.encode without text"),
            "collections.OrderedDict" => new Dictionary<object, object?>(),
            _ => throw new PickleException($"'{name}' may not be called"),
        };
    }

    private static void Build(object? target, object? state)
    {
        switch (target)
        {
            case DTypeBuilder dtype when state is object?[] { Length: > 1 } s && s[1] is string order:
                dtype.Type = (order is "<" or ">" ? order : "") + dtype.Type;
                break;
            case ArrayBuilder array when state is object?[] { Length: 5 } s:
            {
                int[] shape = (s[1] as object?[] ?? []).Select(x => checked((int)(long)(x ?? 0L))).ToArray();
                string type = (s[2] as DTypeBuilder)?.Type ?? throw new PickleException("array without a dtype");
                if (type.StartsWith('>'))
                {
                    throw new PickleException("big-endian numpy arrays are not supported");
                }

                byte[] raw = s[4] as byte[] ?? (s[4] is string str ? Encoding.Latin1.GetBytes(str) : throw new PickleException("array data is not bytes"));
                array.Array = new NdArray(type.StartsWith('<') ? type : "<" + type, shape, raw);
                break;
            }

            default:
                throw new PickleException("BUILD on an unsupported object");
        }
    }

    // Replaces numpy builders by the arrays they built, recursively.
    private static object? Unwrap(object? o) => o switch
    {
        ArrayBuilder a => a.Array ?? throw new PickleException("numpy array without data"),
        Dictionary<object, object?> d => d.ToDictionary(kv => kv.Key, kv => Unwrap(kv.Value)),
        List<object?> l => l.Select(Unwrap).ToList(),
        object?[] t => t.Select(Unwrap).ToArray(),
        _ => o,
    };
}
