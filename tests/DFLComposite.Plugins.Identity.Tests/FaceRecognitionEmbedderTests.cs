using System.Text.Json;
using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Models;
using DFLComposite.Engine.Plugins;
using DFLComposite.Engine.Torch;
using DFLComposite.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DFLComposite.Plugins.Identity.Tests;

public sealed class FaceRecognitionEmbedderTests(ITestOutputHelper output)
{
    internal static readonly Lazy<IFaceEmbedder> Embedder = new(() => BuiltInPlugins.Catalog.Create<IFaceEmbedder>("facerec"));

    private static readonly Lazy<float[][]> Descriptors = new(() =>
        IdentityPhotos.All().Select(f => Embedder.Value.Embed(f.Frame, f.Points68)).ToArray());

    private static string Manifest => Path.Combine(TestPaths.ModelsDirectory, "face_recognition_model-weights_manifest.json");

    [Fact]
    public void Every_weight_in_the_manifest_is_loaded_and_becomes_one_frozen_parameter()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Manifest));
        var listed = doc.RootElement.EnumerateArray().SelectMany(g => g.GetProperty("weights").EnumerateArray())
            .Select(w => (Name: w.GetProperty("name").GetString()!, Count: w.GetProperty("shape").EnumerateArray().Aggregate(1L, (a, d) => a * d.GetInt64())))
            .ToArray();

        IReadOnlyList<TfjsWeight> loaded = TfjsWeights.Load(Manifest);
        Assert.Equal(listed.Select(l => l.Name), loaded.Select(w => w.Name));
        Assert.Equal(listed.Select(l => l.Count), loaded.Select(w => (long)w.Values.Length));
        Assert.All(loaded, w => Assert.All(w.Values, v => Assert.True(float.IsFinite(v), $"{w.Name} has a non-finite value")));

        using var net = new FaceRecognitionNetwork(loaded.ToDictionary(w => w.Name));
        var parameters = net.named_parameters().ToArray();
        long total = listed.Sum(l => l.Count);
        output.WriteLine($"{listed.Length} weights, {total} numbers; network: {parameters.Length} parameters, {parameters.Sum(p => p.parameter.numel())} numbers");
        Assert.Equal(listed.Length, parameters.Length);
        Assert.Equal(total, parameters.Sum(p => p.parameter.numel()));
        Assert.All(parameters, p => Assert.False(p.parameter.requires_grad, $"{p.name} should be frozen"));
        // names follow the manifest: conv64_down/conv1/conv/filters -> conv64_down.conv1.filters
        Assert.Contains(parameters, p => p.name == "conv64_down.conv1.filters" && p.parameter.shape.SequenceEqual(new long[] { 64, 32, 3, 3 }));
    }

    [Fact]
    public void A_weights_file_shorter_than_the_manifest_says_is_refused()
    {
        using var dir = new TempDir();
        File.Copy(Manifest, dir.File(Path.GetFileName(Manifest)));
        byte[] bin = File.ReadAllBytes(Path.Combine(TestPaths.ModelsDirectory, "face_recognition_model.bin"));
        File.WriteAllBytes(dir.File("face_recognition_model.bin"), bin[..^1000]);
        var ex = Assert.Throws<InvalidDataException>(() => TfjsWeights.Load(dir.File(Path.GetFileName(Manifest))));
        output.WriteLine(ex.Message);
    }

    [Fact]
    public void Without_its_model_files_the_embedder_names_the_missing_file()
    {
        using var dir = new TempDir();
        using PluginCatalog catalog = PluginCatalog.Load(PluginCatalog.DefaultFolders(), new PluginContext(dir.Path, NullLoggerFactory.Instance));
        var ex = Assert.ThrowsAny<Exception>(() => catalog.Create<IFaceEmbedder>("facerec"));
        while (ex is not ModelFileException && ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        Assert.IsType<ModelFileException>(ex);
        Assert.Contains("face_recognition_model", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_is_differentiable_with_respect_to_the_chips()
    {
        IFaceEmbedder embedder = Embedder.Value;
        using var scope = NewDisposeScope();
        manual_seed(1);
        Tensor chips = rand(2, 3, embedder.ChipSize, embedder.ChipSize).requires_grad_();
        Tensor descriptors = embedder.Forward(chips);
        Assert.Equal(new long[] { 2, embedder.Dimensions }, descriptors.shape);

        // an identity loss: pull the two descriptors together
        Tensor loss = (descriptors[0] - descriptors[1]).Squared().sum();
        loss.backward();
        Tensor? grad = chips.grad;
        Assert.NotNull(grad);
        double size = grad.abs().sum().item<float>();
        output.WriteLine($"loss {loss.item<float>():F4}, sum |d loss / d chips| = {size:G4}");
        Assert.True(size > 0 && double.IsFinite(size), "no gradient reached the chips");
    }

    [SkippableFact]
    public void Every_Obama_photo_is_nearer_every_other_Obama_photo_than_any_photo_of_someone_else()
    {
        IReadOnlyList<LabelledFace> faces = IdentityPhotos.All();
        float[][] d = Descriptors.Value;
        var same = new List<float>();
        var other = new List<(float Distance, string Pair)>();
        for (int i = 0; i < faces.Count; i++)
        {
            for (int j = i + 1; j < faces.Count; j++)
            {
                bool iObama = faces[i].Person == "obama", jObama = faces[j].Person == "obama";
                float dist = FaceDescriptor.Distance(d[i], d[j]);
                if (iObama && jObama)
                {
                    same.Add(dist);
                }
                else if (iObama || jObama)
                {
                    other.Add((dist, $"{faces[i].File} / {faces[j].File}"));
                }
            }
        }

        var nearest = other.MinBy(o => o.Distance);
        output.WriteLine($"Obama-Obama: {same.Count} pairs, largest {same.Max():F3}; Obama-other: {other.Count} pairs, smallest {nearest.Distance:F3} ({nearest.Pair})");
        Assert.True(same.Max() < nearest.Distance, $"an Obama pair ({same.Max():F3}) is farther apart than {nearest.Pair} ({nearest.Distance:F3})");
        Assert.True(same.Max() < Embedder.Value.SamePersonThreshold && nearest.Distance > Embedder.Value.SamePersonThreshold);
    }

    [SkippableFact]
    public void Verification_over_all_pairs_of_photos_is_accurate_at_the_threshold()
    {
        IReadOnlyList<LabelledFace> faces = IdentityPhotos.All();
        float[][] d = Descriptors.Value;
        float threshold = Embedder.Value.SamePersonThreshold;
        int pairs = 0, right = 0;
        float maxSame = 0, minOther = float.MaxValue;
        for (int i = 0; i < faces.Count; i++)
        {
            for (int j = i + 1; j < faces.Count; j++)
            {
                bool samePerson = faces[i].Person == faces[j].Person;
                float dist = FaceDescriptor.Distance(d[i], d[j]);
                pairs++;
                right += (dist < threshold) == samePerson ? 1 : 0;
                maxSame = samePerson ? Math.Max(maxSame, dist) : maxSame;
                minOther = samePerson ? minOther : Math.Min(minOther, dist);
            }
        }

        double accuracy = (double)right / pairs;
        output.WriteLine($"{faces.Count} photos of {faces.Select(f => f.Person).Distinct().Count()} people, {pairs} pairs: " +
            $"accuracy {accuracy:P1} at threshold {threshold}; same person at most {maxSame:F3}, different people at least {minOther:F3}");
        Assert.True(accuracy >= 0.95, $"verification accuracy {accuracy:P1} at {threshold}");
    }

    [SkippableFact]
    public void Embedding_from_several_threads_gives_the_same_descriptor()
    {
        LabelledFace face = IdentityPhotos.All()[0];
        float[][] results = new float[4][];
        Parallel.For(0, results.Length, i => results[i] = Embedder.Value.Embed(face.Frame, face.Points68));
        Assert.All(results, r => Assert.Equal(results[0], r));
        Assert.Equal(Embedder.Value.Dimensions, results[0].Length);
    }
}
