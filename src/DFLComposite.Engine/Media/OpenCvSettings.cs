using System.Runtime.InteropServices;

namespace DFLComposite.Engine.Media;

/// <summary>
/// OpenCV switches read from the native environment. OpenCV 4 ships its EXR codec disabled unless
/// <c>OPENCV_IO_ENABLE_OPENEXR</c> is set before the first EXR read or write (it caches the value); .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach the native environment on Unix, so
/// the variable is set through libc.
/// </summary>
public static partial class OpenCvSettings
{
    private static readonly Lazy<bool> Exr = new(() =>
    {
        if (OperatingSystem.IsWindows())
        {
            Environment.SetEnvironmentVariable("OPENCV_IO_ENABLE_OPENEXR", "1");
            return true;
        }

        return SetEnv("OPENCV_IO_ENABLE_OPENEXR", "1", 1) == 0;
    });

    /// <summary>Enables EXR in OpenCV for this process; call before the first EXR image is read or written.</summary>
    public static void EnableExr() => _ = Exr.Value;

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
