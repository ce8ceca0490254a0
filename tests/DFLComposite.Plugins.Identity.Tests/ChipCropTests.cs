using DFLComposite.Engine.Identity;
using DFLComposite.Tests;
using OpenCvSharp;
using TorchSharp;
using Xunit.Abstractions;

namespace DFLComposite.Plugins.Identity.Tests;

public sealed class ChipCropTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Print_the_distance_matrix_for_each_crop()
    {
        IReadOnlyList<LabelledFace> faces = IdentityPhotos.All();
        IFaceEmbedder embedder = BuiltInPlugins.Catalog.Create<IFaceEmbedder>("facerec");
        foreach (ChipCrop crop in Enum.GetValues<ChipCrop>())
        {
            float[][] d = faces.Select(f =>
            {
                using Mat chip = FaceChip.Cut(f.Frame, FaceChip.Transform(crop, f.Points68, embedder.ChipSize), embedder.ChipSize);
                using var noGrad = torch.no_grad();
                using torch.Tensor t = FaceChip.ToTensor(chip);
                using torch.Tensor e = embedder.Forward(t);
                return e.data<float>().ToArray();
            }).ToArray();
            output.WriteLine($"== {crop}");
            for (int i = 0; i < faces.Count; i++)
            {
                output.WriteLine($"{faces[i].Person[..5]} {Path.GetFileName(faces[i].File),-22} " +
                    string.Join(" ", Enumerable.Range(0, faces.Count).Select(j => FaceDescriptor.Distance(d[i], d[j]).ToString("F2"))));
            }
        }
    }
}
