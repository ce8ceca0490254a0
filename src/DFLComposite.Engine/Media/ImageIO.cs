using DFLComposite.Media;
using OpenCvSharp;

namespace DFLComposite.Engine.Media;

/// <summary>Still images in and out (OpenCV codecs), as <see cref="ImageFrame"/>, with errors that name the file.</summary>
public static class ImageIO
{
    public static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"];

    public static bool IsImage(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    public static ImageFrame Read(string path)
    {
        if (Directory.Exists(path))
        {
            throw new MediaException($"{path} is a folder; give an image file.");
        }

        if (!File.Exists(path))
        {
            throw new MediaException($"{path}: file not found. Check the path.");
        }

        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0)
        {
            throw new MediaException($"{path}: the file is empty (0 bytes).");
        }

        using Mat mat = Cv2.ImDecode(bytes, ImreadModes.Color);
        if (mat.Empty())
        {
            throw new MediaException($"{path}: not a readable image (corrupt, truncated or an unsupported format). Re-export it as JPEG or PNG.");
        }

        return mat.ToFrame();
    }

    /// <summary>Copies a BGR Mat into a new frame.</summary>
    public static ImageFrame ToFrame(this Mat mat)
    {
        if (mat.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"Expected an 8-bit BGR image, got {mat.Type()}.", nameof(mat));
        }

        byte[] pixels = new byte[mat.Width * mat.Height * 3];
        if (mat.IsContinuous())
        {
            System.Runtime.InteropServices.Marshal.Copy(mat.Data, pixels, 0, pixels.Length);
        }
        else
        {
            using Mat packed = mat.Clone(); // a view into a larger image: make it contiguous first
            System.Runtime.InteropServices.Marshal.Copy(packed.Data, pixels, 0, pixels.Length);
        }

        return new ImageFrame(mat.Width, mat.Height, pixels);
    }
}
