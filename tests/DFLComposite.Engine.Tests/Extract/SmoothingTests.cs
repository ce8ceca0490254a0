using DFLComposite.Engine.Extract;
using DFLComposite.Faces;
using DFLComposite.Tests;
using Xunit.Abstractions;

namespace DFLComposite.Engine.Tests.Extract;

public sealed class SmoothingTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _temp = new();

    [SkippableFact]
    public void Smoothing_lowers_jitter_on_d0_and_lags_at_most_two_frames()
    {
        string video = TestPaths.Media("video/d0.mp4");
        var raw = Extraction.SourceLandmarks(Extraction.Run(new ExtractSettings { Size = 64, Smooth = 0 }, _temp.File("raw"), video).Output);
        var smooth = Extraction.SourceLandmarks(Extraction.Run(new ExtractSettings { Size = 64 }, _temp.File("smooth"), video).Output);
        long[] frames = raw.Keys.Intersect(smooth.Keys).Order().ToArray();
        Assert.True(frames.Length > 70);

        double Jitter(Dictionary<long, PointF[]> lm) => Enumerable.Range(1, frames.Length - 1)
            .Select(i => lm[frames[i]].Zip(lm[frames[i - 1]], (a, b) => (a - b).Length).Average()).Average();
        double jr = Jitter(raw), js = Jitter(smooth);
        output.WriteLine($"mean frame-to-frame landmark motion: raw {jr:F3} px, smoothed {js:F3} px ({1 - (js / jr):P1} lower)");
        Assert.True(js < jr * 0.9, $"smoothing should cut frame-to-frame motion by 10%+: raw {jr:F3}, smoothed {js:F3}");

        // Lag: the shift k that best lines the smoothed track up with the raw one (smoothed[t] ~ raw[t - k]).
        int bestLag = Enumerable.Range(0, 6).MinBy(k => Enumerable.Range(k, frames.Length - k)
            .Select(i => smooth[frames[i]].Zip(raw[frames[i - k]], (a, b) => (a - b).Length).Average()).Average());
        output.WriteLine($"best-fit lag: {bestLag} frame(s)");
        Assert.InRange(bestLag, 0, 2);

        // And it still follows the real head motion: the nose-tip tracks correlate closely.
        double[] rx = frames.Select(f => (double)raw[f][30].X).ToArray(), sx = frames.Select(f => (double)smooth[f][30].X).ToArray();
        double mr = rx.Average(), ms = sx.Average();
        double corr = rx.Zip(sx, (a, b) => (a - mr) * (b - ms)).Sum() /
            Math.Sqrt(rx.Sum(a => (a - mr) * (a - mr)) * sx.Sum(b => (b - ms) * (b - ms)));
        output.WriteLine($"nose-tip x correlation raw vs smoothed: {corr:F4}; raw range {rx.Max() - rx.Min():F1} px");
        Assert.True(corr > 0.95, $"smoothed track correlates {corr:F3} with the raw one");
    }

    [Fact]
    public void One_euro_filter_stills_noise_and_follows_a_step()
    {
        var filter = new OneEuroFilter(minCutoff: 1.0, beta: 0.5);
        var rng = new Random(1);
        double[] noisy = Enumerable.Range(0, 100).Select(i => (i < 50 ? 0.0 : 10.0) + ((rng.NextDouble() - 0.5) * 0.2)).ToArray();
        double[] filtered = noisy.Select(v => filter.Filter(v, 1 / 30.0)).ToArray();
        double noiseIn = Enumerable.Range(21, 28).Select(i => Math.Abs(noisy[i] - noisy[i - 1])).Average();
        double noiseOut = Enumerable.Range(21, 28).Select(i => Math.Abs(filtered[i] - filtered[i - 1])).Average();
        Assert.True(noiseOut < noiseIn / 3, $"still segment: {noiseOut:F4} vs {noiseIn:F4}");
        Assert.InRange(filtered[56], 9.0, 11.0); // within a few frames of the step
    }

    public void Dispose() => _temp.Dispose();
}
