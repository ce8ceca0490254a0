namespace DFLComposite.Plugins.Color;

/// <summary>
/// BGR [0, 1] <-> CIE L*a*b* (D65), the space Reinhard's colour transfer works in. Per pixel, no library needed.
/// </summary>
internal static class Lab
{
    public static float[] FromBgr(float[] bgr)
    {
        var lab = new float[bgr.Length];
        for (int i = 0; i < bgr.Length; i += 3)
        {
            double r = Linear(bgr[i + 2]), g = Linear(bgr[i + 1]), b = Linear(bgr[i]);
            double x = ((0.4124564 * r) + (0.3575761 * g) + (0.1804375 * b)) / 0.95047;
            double y = (0.2126729 * r) + (0.7151522 * g) + (0.0721750 * b);
            double z = ((0.0193339 * r) + (0.1191920 * g) + (0.9503041 * b)) / 1.08883;
            double fx = F(x), fy = F(y), fz = F(z);
            lab[i] = (float)((116 * fy) - 16);
            lab[i + 1] = (float)(500 * (fx - fy));
            lab[i + 2] = (float)(200 * (fy - fz));
        }

        return lab;
    }

    public static float[] ToBgr(float[] lab)
    {
        var bgr = new float[lab.Length];
        for (int i = 0; i < lab.Length; i += 3)
        {
            double fy = (lab[i] + 16) / 116.0, fx = fy + (lab[i + 1] / 500.0), fz = fy - (lab[i + 2] / 200.0);
            double x = FInv(fx) * 0.95047, y = FInv(fy), z = FInv(fz) * 1.08883;
            double r = (3.2404542 * x) - (1.5371385 * y) - (0.4985314 * z);
            double g = (-0.9692660 * x) + (1.8760108 * y) + (0.0415560 * z);
            double b = (0.0556434 * x) - (0.2040259 * y) + (1.0572252 * z);
            bgr[i] = Gamma(b);
            bgr[i + 1] = Gamma(g);
            bgr[i + 2] = Gamma(r);
        }

        return bgr;
    }

    private static double Linear(float c) => c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);

    private static float Gamma(double c)
    {
        c = Math.Clamp(c, 0, 1);
        return (float)(c <= 0.0031308 ? 12.92 * c : (1.055 * Math.Pow(c, 1 / 2.4)) - 0.055);
    }

    private static double F(double t) => t > 0.008856 ? Math.Cbrt(t) : (7.787 * t) + (16.0 / 116);

    private static double FInv(double t) => t * t * t > 0.008856 ? t * t * t : (t - (16.0 / 116)) / 7.787;
}
