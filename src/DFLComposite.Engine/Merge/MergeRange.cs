using System.Globalization;

namespace DFLComposite.Engine.Merge;

/// <summary>
/// Frames <see cref="First"/>..<see cref="Last"/> (input frame numbers from 0, inclusive) of a clip, for render-farm
/// chunks and clip ranges. The <see cref="PreRoll"/> frames before the range are tracked and smoothed but not written,
/// so a chunk's first frames match what a whole-clip merge would give.
/// </summary>
public sealed record MergeRange(long First, long Last, int PreRoll = 12)
{
    /// <summary>"1001-1100" or "1001": inclusive input frame numbers from 0.</summary>
    public static bool TryParse(string text, int preRoll, out MergeRange range)
    {
        range = new MergeRange(0, 0, preRoll);
        string[] parts = text.Split('-', 2, StringSplitOptions.TrimEntries);
        if (long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long first))
        {
            long last = first;
            if (parts.Length == 1 || (long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out last) && last >= first))
            {
                range = new MergeRange(first, last, Math.Max(0, preRoll));
                return true;
            }
        }

        return false;
    }

    public static MergeRange Parse(string text, int preRoll) =>
        TryParse(text, preRoll, out MergeRange range) ? range : throw Settings.JobValidationException.For("frames", $"'{text}' is not a frame range; use A-B or A (input frame numbers from 0, inclusive)");
}
