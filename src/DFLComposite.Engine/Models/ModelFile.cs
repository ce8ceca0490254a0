namespace DFLComposite.Engine.Models;

/// <summary>
/// A pretrained file the engine needs, where set-up gets it, and the checksum it must have.
/// Set-up (scripts/fetch-models.sh) reads the same table from <c>models.tsv</c>; a test keeps both in step.
/// </summary>
public sealed record ModelFile(string FileName, string Use, string NpmPackage, string Sha256);

/// <summary>The models the engine knows, as listed in ARCHITECTURE.md.</summary>
public static class ModelManifest
{
    public const string ModelsVariable = "DFLC_MODELS";

    public static IReadOnlyList<ModelFile> All { get; } =
    [
        new("face_detection_short_range.tflite", "face detection (close)", "@mediapipe/face_detection@0.4.1657300184",
            "3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633"),
        new("face_detection_full_range.tflite", "face detection (far)", "@mediapipe/face_detection@0.4.1657300184",
            "99bf9494d84f50acc6617d89873f71bf6635a841ea699c17cb3377f9507cfec3"),
        new("face_landmark.tflite", "468-point face mesh", "@mediapipe/face_mesh@0.4.1657299874",
            "c603fa6149219a3e9487dc9abd7a0c24474c77263273d24868378cdf40aa26d1"),
        new("selfie_segmentation.tflite", "person segmentation", "@mediapipe/selfie_segmentation@0.1.1675465747",
            "8d13b7fae74af625c641226813616a2117bd6bca19eb3b75574621fc08557f27"),
        new("face_recognition_model.bin", "identity embedding (128-d) weights", "@vladmandic/face-api@1.7.15",
            "b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589"),
        new("face_recognition_model-weights_manifest.json", "identity embedding (128-d) manifest", "@vladmandic/face-api@1.7.15",
            "cbaffa501b0b9275a12b63357a6843e7e30c054e1c9151e1a5f879b26e32986b"),
    ];

    /// <summary><c>DFLC_MODELS</c>, else <c>~/.cache/dflcomposite/models</c>.</summary>
    public static string DefaultDirectory()
    {
        string? env = Environment.GetEnvironmentVariable(ModelsVariable);
        if (!string.IsNullOrWhiteSpace(env))
        {
            return Path.GetFullPath(env);
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".cache", "dflcomposite", "models");
    }
}
