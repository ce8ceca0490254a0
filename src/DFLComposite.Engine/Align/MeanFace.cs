using DFLComposite.Faces;

namespace DFLComposite.Engine.Align;

/// <summary>
/// The mean-face template DeepFaceLab aligns to: 68-point landmarks 17-48 (brows, nose, eyes, mouth
/// corner 48) and 54 in a unit square. Using the same template is what makes our facesets line up with DFL's.
/// </summary>
public static class MeanFace
{
    /// <summary>Which of the 68 points the template covers, in template order.</summary>
    public static readonly int[] Indices = [.. Enumerable.Range(17, 32), 54];

    public static readonly PointF[] Points =
    [
        new(0.000213256f, 0.106454f), new(0.0752622f, 0.038915f), new(0.18113f, 0.0187482f), new(0.29077f, 0.0344891f),
        new(0.393397f, 0.0773906f), new(0.586856f, 0.0773906f), new(0.689483f, 0.0344891f), new(0.799124f, 0.0187482f),
        new(0.904991f, 0.038915f), new(0.98004f, 0.106454f), new(0.490127f, 0.203352f), new(0.490127f, 0.307009f),
        new(0.490127f, 0.409805f), new(0.490127f, 0.515625f), new(0.36688f, 0.587326f), new(0.426036f, 0.609345f),
        new(0.490127f, 0.628106f), new(0.554217f, 0.609345f), new(0.613373f, 0.587326f), new(0.121737f, 0.216423f),
        new(0.187122f, 0.178758f), new(0.265825f, 0.179852f), new(0.334606f, 0.231733f), new(0.260918f, 0.245099f),
        new(0.182743f, 0.244077f), new(0.645647f, 0.231733f), new(0.714428f, 0.179852f), new(0.793132f, 0.178758f),
        new(0.858516f, 0.216423f), new(0.79751f, 0.244077f), new(0.719335f, 0.245099f), new(0.254149f, 0.780233f),
        new(0.726104f, 0.780233f),
    ];

    public static PointF[] Select(IReadOnlyList<PointF> points68) => Indices.Select(i => points68[i]).ToArray();
}
