using DFLComposite.Engine.Segmentation;

namespace DFLComposite.Engine.Training;

/// <summary>
/// A swap model's workspace (<c>dflc train</c>'s folder): its model (or newest good backup) and header, with a clear
/// bad-input error (exit 3) for a missing or empty folder, a damaged model without a good backup, or an XSeg model.
/// </summary>
public static class SwapWorkspace
{
    public static (CheckpointHeader Header, string File, string? Warning) Find(string workspace)
    {
        if (!Directory.Exists(workspace))
        {
            throw new BadInputException($"{workspace}: swap model workspace not found. Train one with `dflc train --src <faceset> --dst <faceset> --workspace {workspace}`.");
        }

        (CheckpointHeader Header, string File, string? Warning) found;
        try
        {
            found = Checkpoint.Find(workspace);
        }
        catch (FileNotFoundException)
        {
            throw new BadInputException($"{workspace}: no model in this folder (no {Checkpoint.FileName}). Train one with `dflc train`, or give the folder it wrote.");
        }
        catch (InvalidDataException ex)
        {
            throw new BadInputException($"{workspace}: {ex.Message}", ex);
        }

        if (Checkpoint.ReadHeader<XSegCheckpointHeader>(found.File).Kind == XSegCheckpointHeader.SegmentationKind)
        {
            throw new BadInputException($"{found.File} is an XSeg (segmentation) model, not a swap model. Give the workspace `dflc train` wrote; XSeg models are given as the xseg workspace.");
        }

        return found;
    }

    /// <summary>Loads a checkpoint's weights, or says the file does not fit the model it claims to be.</summary>
    public static void LoadWeights(string file, TorchSharp.torch.nn.Module network)
    {
        try
        {
            Checkpoint.LoadWeights(file, network);
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException or EndOfStreamException or InvalidOperationException)
        {
            throw new BadInputException($"{file}: the weights do not fit the model its header describes ({ex.Message.Split('\n')[0]}); use a backup from its backups/ folder or train again.", ex);
        }
    }
}
