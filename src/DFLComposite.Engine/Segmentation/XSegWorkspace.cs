using DFLComposite.Engine.Training;

namespace DFLComposite.Engine.Segmentation;

/// <summary>
/// An XSeg workspace folder: <c>model.dflc</c> (the shared checkpoint format with an
/// <see cref="XSegCheckpointHeader"/>), <c>backups/</c>, <c>preview.png</c>, <c>loss.csv</c> (iteration,loss), <c>loss.png</c>.
/// </summary>
public static class XSegWorkspace
{
    /// <summary>The workspace's model (or newest good backup) and its header; clear errors for anything else.</summary>
    public static (XSegCheckpointHeader Header, string File, string? Warning) Find(string workspace)
    {
        if (!Directory.Exists(workspace))
        {
            throw new BadInputException($"{workspace}: XSeg workspace not found. Train one with `dflc xseg train --faceset <dir> --workspace {workspace}`.");
        }

        (XSegCheckpointHeader Header, string File, string? Warning) found;
        try
        {
            found = Checkpoint.Find<XSegCheckpointHeader>(workspace);
        }
        catch (FileNotFoundException)
        {
            throw new BadInputException($"{workspace}: no XSeg model in this folder. Train one with `dflc xseg train --faceset <dir> --workspace {workspace}`.");
        }
        catch (InvalidDataException ex)
        {
            throw new BadInputException($"{workspace}: {ex.Message}", ex);
        }

        if (found.Header.Kind != XSegCheckpointHeader.SegmentationKind || found.Header.Options is null)
        {
            throw new BadInputException($"{found.File} is not an XSeg model (a swap model's workspace?). Give the folder `dflc xseg train` wrote.");
        }

        return found;
    }
}
