using DFLComposite.Engine.Identity;
using OpenCvSharp;
using TorchSharp;
using Xunit.Abstractions;

namespace DFLComposite.Plugins.Identity.Tests;

/// <summary>
/// Which chip to feed the network: each crop's separation on the test photos (smallest distance between two
/// people minus largest distance between two photos of one person; higher is better). Measured: dlib's
/// template 0.178, DeepFaceLab's template 0.155, face-api.js's landmark box -0.047 (it confuses two people).
/// </summary>
public sealed class ChipCropTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void The_default_crop_separates_people_at_least_as_well_as_the_others()
    {
        IReadOnlyList<LabelledFace> faces = IdentityPhotos.All();
        IFaceEmbedder embedder = FaceRecognitionEmbedderTests.Embedder.Value;
        var margins = Enum.GetValues<ChipCrop>().ToDictionary(c => c, c => Separation(faces, Descriptors(embedder, faces, c)));
        foreach ((ChipCrop crop, float margin) in margins)
        {
            output.WriteLine($"{crop}: separation {margin:F3}");
        }

        // The embedder cuts with dlib's template: check it still is the best choice.
        Assert.Equal(margins[ChipCrop.DlibTemplate], margins.Values.Max());
        Assert.True(margins[ChipCrop.DlibTemplate] > 0, "two people are nearer than two photos of one person");
    }

    private static float[][] Descriptors(IFaceEmbedder embedder, IReadOnlyList<LabelledFace> faces, ChipCrop crop) =>
        faces.Select(f =>
        {
            using Mat chip = FaceChip.Cut(f.Frame, FaceChip.Transform(crop, f.Points68, embedder.ChipSize), embedder.ChipSize);
            using var noGrad = torch.no_grad();
            using torch.Tensor t = FaceChip.ToTensor(chip);
            using torch.Tensor e = embedder.Forward(t);
            return e.data<float>().ToArray();
        }).ToArray();

    private static float Separation(IReadOnlyList<LabelledFace> faces, float[][] d)
    {
        float maxSame = 0, minOther = float.MaxValue;
        for (int i = 0; i < faces.Count; i++)
        {
            for (int j = i + 1; j < faces.Count; j++)
            {
                float dist = FaceDescriptor.Distance(d[i], d[j]);
                if (faces[i].Person == faces[j].Person)
                {
                    maxSame = Math.Max(maxSame, dist);
                }
                else
                {
                    minOther = Math.Min(minOther, dist);
                }
            }
        }

        return minOther - maxSame;
    }
}
