using System.Buffers.Binary;
using System.Text;

namespace DFLComposite.Engine.Tests.Facesets;

/// <summary>
/// Writes pickles the way Python 3's pickle (protocol 3, as DeepFaceLab under Python 3.6/3.7 does) lays out a
/// dict of strings, ints, tuples, lists and numpy float32 arrays — so the importer is tested on DFL's exact
/// byte layout — and wraps them in a JPEG APP15 segment as DFLJPG does.
/// </summary>
internal sealed class DflFileWriter
{
    private readonly MemoryStream _s = new();
    private int _memo;

    public static byte[] Pickle(Action<DflFileWriter> body)
    {
        var w = new DflFileWriter();
        w.Op(0x80, 3);
        body(w);
        w.Op((byte)'.');
        return w._s.ToArray();
    }

    public static byte[] WithApp15(byte[] jpeg, byte[] pickle)
    {
        using var o = new MemoryStream();
        o.Write(jpeg, 0, 2); // SOI
        o.WriteByte(0xFF);
        o.WriteByte(0xEF);
        o.WriteByte((byte)((pickle.Length + 2) >> 8));
        o.WriteByte((byte)(pickle.Length + 2));
        o.Write(pickle);
        o.Write(jpeg, 2, jpeg.Length - 2);
        return o.ToArray();
    }

    public void Dict(params (string Key, Action<DflFileWriter> Value)[] items)
    {
        Op((byte)'}');
        Put();
        Op((byte)'(');
        foreach (var (key, value) in items)
        {
            Str(key);
            value(this);
        }

        Op((byte)'u');
    }

    public void Str(string s)
    {
        byte[] b = Encoding.UTF8.GetBytes(s);
        Op((byte)'X');
        Int32(b.Length);
        _s.Write(b);
        Put();
    }

    public void Int(int v)
    {
        Op((byte)'J');
        Int32(v);
    }

    public void Tuple(params Action<DflFileWriter>[] items)
    {
        Op((byte)'(');
        foreach (var i in items)
        {
            i(this);
        }

        Op((byte)'t');
        Put();
    }

    public void List(params Action<DflFileWriter>[] items)
    {
        Op((byte)']');
        Put();
        Op((byte)'(');
        foreach (var i in items)
        {
            i(this);
        }

        Op((byte)'e');
    }

    /// <summary>numpy's ndarray.__reduce__: _reconstruct(ndarray, (0,), b'b') then BUILD with (1, shape, dtype, False, raw).</summary>
    public void Float32Array(float[] values, params int[] shape)
    {
        Global("numpy.core.multiarray", "_reconstruct");
        Global("numpy", "ndarray");
        Op((byte)'K', 0);
        Op(0x85);
        Put();
        Op((byte)'C', 1, (byte)'b');
        Put();
        Op(0x87);
        Put();
        Op((byte)'R');
        Put();
        Op((byte)'(');
        Op((byte)'K', 1);
        Op((byte)'(');
        foreach (int d in shape)
        {
            Op((byte)'K', (byte)d);
        }

        Op((byte)'t');
        Put();
        Global("numpy", "dtype");
        Str("f4");
        Op((byte)'K', 0);
        Op((byte)'K', 1);
        Op(0x87);
        Put();
        Op((byte)'R');
        Put();
        Op((byte)'(');
        Op((byte)'K', 3);
        Str("<");
        Op((byte)'N');
        Op((byte)'N');
        Op((byte)'N');
        Int(-1);
        Int(-1);
        Op((byte)'K', 0);
        Op((byte)'t');
        Put();
        Op((byte)'b');
        Op(0x89);
        byte[] raw = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), values[i]);
        }

        Op((byte)'B');
        Int32(raw.Length);
        _s.Write(raw);
        Put();
        Op((byte)'t');
        Put();
        Op((byte)'b');
    }

    public void Global(string module, string name)
    {
        Op((byte)'c');
        _s.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
        Put();
    }

    public void Raw(params byte[] bytes) => _s.Write(bytes);

    private void Op(byte op, params byte[] args)
    {
        _s.WriteByte(op);
        _s.Write(args);
    }

    private void Put() => Op((byte)'q', (byte)(_memo++ & 0xff));

    private void Int32(int v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, v);
        _s.Write(b);
    }
}
