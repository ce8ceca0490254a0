namespace DFLComposite.Engine.Extract;

/// <summary>
/// The One Euro filter (Casiez, Roussel, Vogel 2012): a low-pass filter whose cut-off rises with speed, so a
/// still landmark stops jittering while a moving one follows without lag. One instance per coordinate.
/// </summary>
public sealed class OneEuroFilter(double minCutoff, double beta, double derivativeCutoff = 1.0)
{
    private bool _started;
    private double _x, _dx;

    public double Filter(double value, double dt)
    {
        if (!_started)
        {
            _started = true;
            _x = value;
            _dx = 0;
            return value;
        }

        double dx = (value - _x) / dt;
        _dx += Alpha(derivativeCutoff, dt) * (dx - _dx);
        double cutoff = minCutoff + (beta * Math.Abs(_dx));
        _x += Alpha(cutoff, dt) * (value - _x);
        return _x;
    }

    private static double Alpha(double cutoff, double dt)
    {
        double tau = 1.0 / (2 * Math.PI * cutoff);
        return 1.0 / (1.0 + (tau / dt));
    }
}
