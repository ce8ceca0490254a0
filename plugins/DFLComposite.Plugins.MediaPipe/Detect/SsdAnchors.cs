namespace DFLComposite.Plugins.MediaPipe.Detect;

/// <summary>
/// MediaPipe's SSD anchor grid for BlazeFace (SsdAnchorsCalculator with fixed anchor size):
/// layers that share a stride are merged into one grid with one anchor per layer (plus one interpolated
/// anchor per layer when <paramref name="interpolatedAnchor"/> is set), centred at (x + 0.5) / grid.
/// </summary>
internal static class SsdAnchors
{
    public static (float X, float Y)[] Generate(int inputSize, int[] strides, bool interpolatedAnchor)
    {
        var anchors = new List<(float, float)>();
        int layer = 0;
        while (layer < strides.Length)
        {
            int stride = strides[layer];
            int perCell = 0;
            while (layer < strides.Length && strides[layer] == stride)
            {
                perCell += interpolatedAnchor ? 2 : 1;
                layer++;
            }

            int grid = (int)Math.Ceiling((double)inputSize / stride);
            for (int y = 0; y < grid; y++)
            {
                for (int x = 0; x < grid; x++)
                {
                    for (int a = 0; a < perCell; a++)
                    {
                        anchors.Add(((x + 0.5f) / grid, (y + 0.5f) / grid));
                    }
                }
            }
        }

        return [.. anchors];
    }
}
