using DFLComposite.Engine.Extract;
using DFLComposite.Engine.Media;
using DFLComposite.Faces;
using DFLComposite.Media;
using OpenCvSharp;

namespace DFLComposite.Engine.Merge;

/// <summary>The faces of one frame after tracking and smoothing, ready to compose.</summary>
/// <param name="TrackedFrom">First frame of the run of consecutive frames these faces were followed through.</param>
public sealed record TrackedFrame(long Number, long TrackedFrom, IReadOnlyList<(IReadOnlyList<PointF> Points, (double X, double Y) Motion)> Faces);

/// <summary>
/// A merge (or matte) session for one clip, fed frame by frame: by hosts through <see cref="Process"/> (the OFX effect
/// via the node), and by the file <see cref="Merger"/>, which runs the same two steps on its own pipeline — so there is
/// one merge path.
/// <para>
/// The tracking rule: a frame numbered one more than the previous frame given is followed from it (faces tracked
/// from the previous landmarks, the detector on every <see cref="MergeSettings.DetectEvery"/>-th frame number or when a
/// face is lost, landmarks smoothed), exactly as a file merge does. Any other frame — the first, a scrub, an
/// out-of-order or parallel render — is a jump: the session starts over there (detection, no smoothing history). So the
/// result for frame n depends only on the frames given since the last jump, and is bit-identical to what a new
/// session fed those frames in order gives; <see cref="MergedFrame.TrackedFrom"/> says where that run began.
/// </para>
/// Thread-safe: tracking is serialised, composing (model, colour, blend) runs on the caller's thread.
/// </summary>
public sealed partial class FrameMerger : IDisposable
{
    private readonly Lock _track = new();
    private readonly FaceFinder _finder;
    private readonly MergeSettings _settings;
    private readonly MergeKeyframes? _keyframes;
    private readonly double _fps;
    private readonly IDisposable? _owned;
    private FaceTracker _tracker;
    private LandmarkSmoother _smoother;
    private IReadOnlyList<FaceLandmarks> _previous = [];
    private long? _last;
    private long _runStart;

    /// <param name="fps">The clip's frame rate (the smoother's time step).</param>
    /// <param name="owned">Disposed with the session (the model and XSeg handles it was opened with).</param>
    public FrameMerger(FaceFinder finder, IFaceCompositor compositor, MergeSettings settings, double fps, MergeKeyframes? keyframes = null, IDisposable? owned = null)
    {
        _finder = finder;
        Compositor = compositor;
        _settings = settings;
        _keyframes = keyframes;
        _fps = fps;
        _owned = owned;
        _tracker = new FaceTracker(finder);
        _smoother = new LandmarkSmoother(settings.Smooth, fps);
    }

    public IFaceCompositor Compositor { get; }

    public MergeSettings Settings => _settings;

    public FaceFinder Finder => _finder;

    /// <summary>Merges one frame of any pixel format; the result has the same format, size and stride rules.</summary>
    /// <param name="frame">Left unchanged, unless <paramref name="inPlace"/>.</param>
    /// <param name="matte">Also return the merge mask (matte).</param>
    /// <param name="frameSettings">This frame's blend settings (a host's keyframed parameters), over the session's; the
    /// session's own detector, tracking and colour-transfer choices stay as opened.</param>
    /// <param name="inPlace">The caller owns <paramref name="frame"/>, a packed 8-bit BGR frame, and lets the merge write
    /// into it: no copy of the frame (a host reusing its buffers saves fresh memory's page faults on every frame).</param>
    public MergedFrame Process(ImageFrame frame, long frameNumber, bool matte = true, MergeSettings? frameSettings = null, bool inPlace = false)
    {
        ImageFrame frame8 = frame.ToBgr8();
        TrackedFrame tracked = Track(frame8, frameNumber, detections: null);
        return Compose(frame, frame8, tracked, matte, debug: false, inPlace: inPlace && ReferenceEquals(frame, frame8), frameSettings);
    }

    /// <summary>The file merger's key frames (detections computed ahead on workers).</summary>
    internal bool IsKeyFrame(long frameNumber) => frameNumber % _settings.DetectEvery == 0;

    /// <summary>Follows the faces into frame <paramref name="number"/> (the serial step; see the class's tracking rule).</summary>
    /// <param name="frame8">The frame as packed 8-bit BGR.</param>
    /// <param name="detections">The detector's output for this frame if already computed, else null.</param>
    internal TrackedFrame Track(ImageFrame frame8, long number, IReadOnlyList<DetectedFace>? detections)
    {
        lock (_track)
        {
            bool jump = _last is null || number != _last + 1;
            if (jump)
            {
                _tracker = new FaceTracker(_finder);
                _smoother = new LandmarkSmoother(_settings.Smooth, _fps);
                _previous = [];
                _runStart = number;
            }

            if (detections is null && (jump || IsKeyFrame(number)))
            {
                detections = _finder.Detect(frame8);
            }

            IReadOnlyList<FaceLandmarks> landmarks = _smoother.Smooth(_tracker.Next(frame8, detections));
            var faces = landmarks.Select(lm => ((IReadOnlyList<PointF>)lm.Points68, FaceMotion.Since(lm.Points68, _previous))).ToArray();
            _previous = landmarks;
            _last = number;
            return new TrackedFrame(number, _runStart, faces);
        }
    }

    /// <summary>Composes every tracked face into the frame (thread-safe).</summary>
    /// <param name="inPlace">The caller owns <paramref name="frame"/> and lets the merge write into it (8-bit BGR only).</param>
    internal MergedFrame Compose(ImageFrame frame, ImageFrame frame8, TrackedFrame tracked, bool wantMask, bool debug, bool inPlace, MergeSettings? frameSettings = null)
    {
        MergeSettings settings = frameSettings ?? _keyframes?.At(tracked.Number, _settings) ?? _settings;
        bool is8 = frame.Format == PixelFormat.Bgr8 && frame.IsPacked;
        var convert = Diagnostics.StageTimes.Measure("convert");
        using Mat view = frame.AsMat();
        using Mat work = is8 ? (inPlace ? frame.AsMat() : view.Clone()) : frame.ToBgrMat();
        using Mat work8 = frame8.AsMat();
        Mat? mask = wantMask ? new Mat(frame.Height, frame.Width, MatType.CV_32FC1, Scalar.All(0)) : null;
        convert.Dispose();
        var panels = new List<Mat>();
        ImageFrame? prediction = null;
        foreach ((IReadOnlyList<PointF> points, (double X, double Y) motion) in tracked.Faces)
        {
            using ComposedFace face = Compositor.Compose(work, is8 ? work : work8, points, settings, motion, debug);
            if (face.Prediction is not null)
            {
                prediction = Predicted(face.Prediction);
                break; // raw-predict: one face square per output frame
            }

            if (mask is not null)
            {
                face.AddMaskTo(mask);
            }

            if (face.DebugPanels is not null)
            {
                panels.Add(face.DebugPanels.Clone());
            }
        }

        if (settings.Mode == "raw-predict")
        {
            // a black square for a frame with no face keeps the sequence's frame numbering
            int r = Compositor.Resolution;
            mask?.Dispose();
            return new MergedFrame(prediction ?? new ImageFrame(r, r, new byte[r * r * 3]), null, null, tracked.Faces.Count, tracked.Number, tracked.TrackedFrom);
        }

        Mat? debugImage = null;
        if (panels.Count > 0)
        {
            debugImage = new Mat();
            Cv2.VConcat(panels.ToArray(), debugImage);
            panels.ForEach(p => p.Dispose());
        }

        ImageFrame result = is8 ? (inPlace ? frame : work.ToFrame()) : frame.WithColour(work);
        return new MergedFrame(result, mask, debugImage, tracked.Faces.Count, tracked.Number, tracked.TrackedFrom);
    }

    private static ImageFrame Predicted(Mat prediction)
    {
        using var eight = new Mat();
        prediction.ConvertTo(eight, MatType.CV_8UC3, 255);
        return eight.ToFrame();
    }

    public void Dispose() => _owned?.Dispose();
}

/// <summary>One merged frame: the picture in the input's pixel format, its matte, and what the tracking rule says about it.</summary>
/// <param name="Matte">The merge mask, CV_32FC1 at frame size in [0, 1], when asked for.</param>
/// <param name="Debug">dst | prediction | mask | result panels, when asked for.</param>
/// <param name="TrackedFrom">First frame of the run of consecutive frames this frame's faces were followed through.</param>
public sealed record MergedFrame(ImageFrame Frame, Mat? Matte, Mat? Debug, int Faces, long Number, long TrackedFrom) : IDisposable
{
    /// <summary>The frame with the matte as its alpha channel (RGBA formats; the input's alpha is replaced).</summary>
    public ImageFrame WithMatteAsAlpha()
    {
        if (Matte is null || Frame.Format == PixelFormat.Bgr8)
        {
            throw new InvalidOperationException("A matte as alpha needs an RGBA frame and a matte.");
        }

        using Mat bgr = Frame.ToBgrMat();
        return Frame.WithColour(bgr, Matte);
    }

    /// <summary>The matte to look at: grey in R, G and B, and as alpha (RGBA formats).</summary>
    public ImageFrame WithMatteShown()
    {
        if (Matte is null || Frame.Format == PixelFormat.Bgr8)
        {
            throw new InvalidOperationException("Showing a matte needs an RGBA frame and a matte.");
        }

        MatType depth = FramePixels.MatTypeOf(Frame.Format);
        using var grey = new Mat();
        Cv2.CvtColor(Matte, grey, ColorConversionCodes.GRAY2BGR);
        using var scaled = new Mat();
        grey.ConvertTo(scaled, depth.Depth, FramePixels.FullScale(depth));
        return Frame.WithColour(scaled, Matte);
    }

    public void Dispose()
    {
        Matte?.Dispose();
        Debug?.Dispose();
    }
}
