using System.Globalization;
using DFLComposite.Engine.Segmentation;
using DFLComposite.Engine.Training;
using DFLComposite.Faces;

namespace DFLComposite.Engine.Models;

/// <summary>
/// What a model workspace holds (<c>dflc model info</c>, the service's model list): its kind, architecture, how far it
/// trained, and the mean of its last 20 losses. Reading checks the file's checksum; a fallback to a backup is in
/// <see cref="Warning"/>.
/// </summary>
/// <param name="Kind">swap or xseg.</param>
/// <param name="Losses">Mean of the last 20 logged losses (src, dst for swap models; one value for XSeg).</param>
public sealed record WorkspaceInfo(
    string Workspace, string Kind, string File, string Model, string? Architecture, int Resolution, string FaceType, string Dims, long Parameters,
    long Iteration, DateTimeOffset Saved, string Training, IReadOnlyList<double> Losses, string? Warning, string? Preview)
{
    public static WorkspaceInfo Read(string workspace)
    {
        workspace = Path.GetFullPath(workspace);
        if (!System.IO.File.Exists(Path.Combine(workspace, Checkpoint.FileName)) && !Directory.Exists(Path.Combine(workspace, Checkpoint.BackupFolder)))
        {
            throw new BadInputException($"{workspace}: no model in this folder (no {Checkpoint.FileName}). Give a folder `dflc train` or `dflc xseg train` wrote.");
        }

        (XSegCheckpointHeader probe, string probeFile, _) = ProbeKind(workspace);
        if (probe.Kind == XSegCheckpointHeader.SegmentationKind)
        {
            (XSegCheckpointHeader x, string file, string? warning) = XSegWorkspace.Find(workspace);
            return new WorkspaceInfo(workspace, "xseg", file, x.Options.Model, null, x.Options.Resolution, x.Options.FaceType.ShortName(),
                x.Options.BaseChannels.ToString(CultureInfo.InvariantCulture), x.ParameterCount, x.Iteration, x.Saved,
                FormattableString.Invariant($"batch {x.Settings.BatchSize}, lr {x.Settings.LearningRate}, occluders {x.Settings.OccluderChance:P0}"),
                Recent(Path.Combine(workspace, XSegTrainer.LossCsvFile), 1), warning, Existing(Path.Combine(workspace, XSegTrainer.PreviewFile)));
        }

        _ = probeFile;
        (CheckpointHeader h, string swapFile, string? swapWarning) = SwapWorkspace.Find(workspace);
        SwapModelOptions o = h.Options;
        return new WorkspaceInfo(workspace, "swap", swapFile, o.Model, o.Archi, o.Resolution, o.FaceType.ShortName(),
            $"{o.AeDims}/{o.EDims}/{o.DDims}/{o.DMaskDims}", h.ParameterCount, h.Iteration, h.Saved,
            FormattableString.Invariant($"batch {h.Settings.BatchSize}, lr {h.Settings.LearningRate}, {h.Settings.Optimizer}, loss {h.Settings.Loss}"),
            Recent(Path.Combine(workspace, Trainer.LossCsvFile), 2), swapWarning, Existing(Path.Combine(workspace, Trainer.PreviewFile)));
    }

    private static (XSegCheckpointHeader, string, string?) ProbeKind(string workspace)
    {
        try
        {
            return Checkpoint.Find<XSegCheckpointHeader>(workspace);
        }
        catch (InvalidDataException ex)
        {
            throw new BadInputException($"{workspace}: {ex.Message}", ex);
        }
    }

    private static string? Existing(string path) => System.IO.File.Exists(path) ? path : null;

    // Mean of the last 20 rows of a loss.csv (iteration, then the losses), per column.
    private static double[] Recent(string csv, int columns)
    {
        if (!System.IO.File.Exists(csv))
        {
            return [];
        }

        string[][] last = System.IO.File.ReadLines(csv).Skip(1).TakeLast(20).Select(l => l.Split(',')).Where(c => c.Length > columns).ToArray();
        return last.Length == 0 ? [] : Enumerable.Range(1, columns)
            .Select(c => last.Average(row => double.TryParse(row[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN))
            .ToArray();
    }
}
