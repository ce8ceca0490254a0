using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Tests.Training;
using DFLComposite.Faces;
using DFLComposite.Tests;
using OpenCvSharp;

namespace DFLComposite.Engine.Tests.Merge;

/// <summary>
/// The root cause of the segfault once seen when a merge's output could not be written: the writer failed while other
/// frames were still being composed on workers, the merge returned, its caller disposed the model, and a compose still
/// running read freed native memory. No worker may outlive a merge, whatever ends it.
/// </summary>
[Collection("training")]
public sealed class MergeFailureTests(TrainingFixture data) : IDisposable
{
    private readonly TempDir _temp = new();

    /// <summary>Composes slowly, fails on one call, and counts how many composes are running.</summary>
    private sealed class Failing(IFaceCompositor inner, int failOnCall) : IFaceCompositor
    {
        private int _calls, _running;

        public int Running => Volatile.Read(ref _running);

        public int Resolution => inner.Resolution;

        public ComposedFace Compose(Mat frame, Mat frame8, IReadOnlyList<PointF> landmarks68, MergeSettings? frameSettings = null, (double X, double Y) motion = default, bool debug = false)
        {
            Interlocked.Increment(ref _running);
            try
            {
                if (Interlocked.Increment(ref _calls) == failOnCall)
                {
                    throw new InvalidOperationException("compose failed on purpose");
                }

                Thread.Sleep(300); // the others are still at work when the failure is reported
                return inner.Compose(frame, frame8, landmarks68, frameSettings, motion, debug);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }
    }

    [SkippableFact]
    public async Task A_failing_merge_returns_only_after_every_worker_has_stopped()
    {
        string input = TestPaths.Media("video/d0.mp4");
        using SwapModelRunner model = SwapModelRunner.Load(TinyModel.Get(data), BuiltInPlugins.Catalog);
        var settings = new MergeSettings { Color = "none" };
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var failing = new Failing(new FaceComposer(model, settings, null), failOnCall: 6 + attempt);
            Merger merger = TestMergers.For(Extraction.Finder(new ExtractSettings()), failing, settings, input);
            await Assert.ThrowsAsync<InvalidOperationException>(() => merger.RunAsync(input, new MergeOutputs(_temp.File($"out{attempt}"))));
            Assert.Equal(0, failing.Running);
        }
    }

    public void Dispose() => _temp.Dispose();
}
