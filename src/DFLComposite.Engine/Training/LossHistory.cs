using System.Globalization;
using System.Text;

namespace DFLComposite.Engine.Training;

/// <summary>One point of the loss history: iteration, src and dst training loss, validation loss (NaN when not measured).</summary>
public readonly record struct LossPoint(long Iteration, float Src, float Dst, float Val);

/// <summary>The losses of a model over its whole life; saved inside each checkpoint and as loss.csv.</summary>
public sealed class LossHistory
{
    private readonly List<LossPoint> _points = [];

    public IReadOnlyList<LossPoint> Points => _points;

    public void Add(LossPoint p) => _points.Add(p);

    public void TruncateAfter(long iteration) => _points.RemoveAll(p => p.Iteration > iteration);

    public string ToCsv()
    {
        var sb = new StringBuilder("iteration,src_loss,dst_loss,val_loss\n");
        foreach (LossPoint p in _points)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{p.Iteration},{p.Src:G6},{p.Dst:G6},{(float.IsNaN(p.Val) ? "" : p.Val.ToString("G6", CultureInfo.InvariantCulture))}\n");
        }

        return sb.ToString();
    }

    public void Write(BinaryWriter w)
    {
        w.Write(_points.Count);
        foreach (LossPoint p in _points)
        {
            w.Write(p.Iteration);
            w.Write(p.Src);
            w.Write(p.Dst);
            w.Write(p.Val);
        }
    }

    public static LossHistory Read(BinaryReader r)
    {
        var h = new LossHistory();
        int n = r.ReadInt32();
        for (int i = 0; i < n; i++)
        {
            h._points.Add(new LossPoint(r.ReadInt64(), r.ReadSingle(), r.ReadSingle(), r.ReadSingle()));
        }

        return h;
    }
}
