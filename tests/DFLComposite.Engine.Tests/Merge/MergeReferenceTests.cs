using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Identity;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Tests.Training;
using DFLComposite.Faces;
using DFLComposite.Merge;
using DFLComposite.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;
using Xunit.Abstractions;

namespace DFLComposite.Engine.Tests.Merge;

/// <summary><c>dflc merge --reference</c> / <c>swap --dst-reference</c>: in footage with several people, only that person is swapped.</summary>
[Collection("training")]
public sealed class MergeReferenceTests(TrainingFixture data, ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _temp = new();

    [SkippableFact]
    public void A_reference_photo_limits_the_merge_to_that_person()
    {
        string pair = TestPaths.Media("images/identities_test/obama_and_biden.jpg");
        string obama = TestPaths.Media("images/identities/obama/obama.jpg");
        var settings = new ExtractSettings();
        ReferenceFilter person = ReferenceFilter.FromPhotos(
            BuiltInPlugins.Catalog.Create<IFaceEmbedder>(ReferenceFilter.DefaultEmbedder), BuiltInPlugins.Catalog.Create<IFaceDetector>(settings.Detector),
            BuiltInPlugins.Catalog.Create<ILandmarker>(settings.Landmarker), [obama], threshold: null);

        (Mat everyoneOut, Mat everyoneMask) = Merge(pair, null, "everyone");
        (Mat onlyOut, Mat onlyMask) = Merge(pair, person, "only");
        using (everyoneOut)
        using (everyoneMask)
        using (onlyOut)
        using (onlyMask)
        using (Mat input = Cv2.ImRead(pair))
        {
            int all = Regions(everyoneMask), kept = Regions(onlyMask);
            output.WriteLine($"face regions swapped: {all} without a reference, {kept} with Obama's photo; filter kept {person.Counts.Kept}, left {person.Counts.Rejected}");
            Assert.Equal(2, all);
            Assert.Equal(1, kept);

            // The one swapped region is one of the two, and the other person is left exactly as they were.
            using var onlyGrown = new Mat();
            Cv2.Dilate(onlyMask, onlyGrown, Cv2.GetStructuringElement(MorphShapes.Rect, new Size(5, 5)));
            using var outside = new Mat();
            Cv2.BitwiseNot(onlyGrown, outside);
            using var otherPerson = new Mat();
            Cv2.BitwiseAnd(everyoneMask, outside, otherPerson);
            Assert.True(Cv2.CountNonZero(otherPerson) > 1000, "the other person's face region is missing");
            using var diff = new Mat();
            Cv2.Absdiff(onlyOut, input, diff);
            using var diffGray = new Mat();
            Cv2.CvtColor(diff, diffGray, ColorConversionCodes.BGR2GRAY);
            using var changedOutside = new Mat();
            Cv2.BitwiseAnd(diffGray, outside, changedOutside);
            Assert.Equal(0, Cv2.CountNonZero(changedOutside));
            using var changedInside = new Mat();
            Cv2.BitwiseAnd(diffGray, onlyMask, changedInside);
            Assert.True(Cv2.CountNonZero(changedInside) > 1000, "the reference person's face did not change");
        }
    }

    public void Dispose() => _temp.Dispose();

    private (Mat Output, Mat Mask) Merge(string input, ReferenceFilter? person, string name)
    {
        var settings = new MergeSettings();
        var extract = new ExtractSettings();
        var finder = new FaceFinder(
            BuiltInPlugins.Catalog.Create<IFaceDetector>(extract.Detector), BuiltInPlugins.Catalog.Create<ILandmarker>(extract.Landmarker), extract, person);
        using SwapModelRunner model = SwapModelRunner.Load(TinyModel.Get(data), BuiltInPlugins.Catalog);
        IColorTransfer color = BuiltInPlugins.Catalog.Create<IColorTransfer>(settings.Color);
        string image = _temp.File($"{name}.png"), masks = _temp.File($"{name}-masks");
        TestMergers.For(finder, new FaceComposer(model, settings, color), settings, input)
            .RunAsync(input, new MergeOutputs(image, masks, null, false)).GetAwaiter().GetResult();
        return (Cv2.ImRead(image), Cv2.ImRead(Path.Combine(masks, "000000.png"), ImreadModes.Grayscale));
    }

    // Separate face regions in a matte: connected components of its non-zero pixels (background excluded).
    private static int Regions(Mat mask)
    {
        using var binary = new Mat();
        Cv2.Threshold(mask, binary, 0, 255, ThresholdTypes.Binary);
        using var labels = new Mat();
        return Cv2.ConnectedComponents(binary, labels) - 1;
    }
}
