namespace OpenFX.Net;

// String values from ofxImageEffect.h, written from the OpenFX 1.5 specification.

/// <summary>Image effect API identity and actions.</summary>
public static class OfxImageEffectActions
{
    public const string PluginApi = "OfxImageEffectPluginAPI";
    public const int PluginApiVersion = 1;

    public const string GetRegionOfDefinition = "OfxImageEffectActionGetRegionOfDefinition";
    public const string GetRegionsOfInterest = "OfxImageEffectActionGetRegionsOfInterest";
    public const string GetTimeDomain = "OfxImageEffectActionGetTimeDomain";
    public const string GetFramesNeeded = "OfxImageEffectActionGetFramesNeeded";
    public const string GetClipPreferences = "OfxImageEffectActionGetClipPreferences";
    public const string IsIdentity = "OfxImageEffectActionIsIdentity";
    public const string Render = "OfxImageEffectActionRender";
    public const string BeginSequenceRender = "OfxImageEffectActionBeginSequenceRender";
    public const string EndSequenceRender = "OfxImageEffectActionEndSequenceRender";
    public const string DescribeInContext = "OfxImageEffectActionDescribeInContext";
}

/// <summary>Contexts.</summary>
public static class OfxContext
{
    public const string Generator = "OfxImageEffectContextGenerator";
    public const string Filter = "OfxImageEffectContextFilter";
    public const string Transition = "OfxImageEffectContextTransition";
    public const string Paint = "OfxImageEffectContextPaint";
    public const string General = "OfxImageEffectContextGeneral";
    public const string Retimer = "OfxImageEffectContextRetimer";
}

/// <summary>Pixel components.</summary>
public static class OfxComponents
{
    public const string None = "OfxImageComponentNone";
    public const string RGBA = "OfxImageComponentRGBA";
    public const string RGB = "OfxImageComponentRGB";
    public const string Alpha = "OfxImageComponentAlpha";

    public static int Count(string? components) => components switch
    {
        RGBA => 4,
        RGB => 3,
        Alpha => 1,
        _ => 0,
    };
}

/// <summary>Object types (kOfxPropType values), thread safety, pre-multiplication, fields, clip names.</summary>
public static class OfxImageEffectValues
{
    public const string TypeImageEffectHost = "OfxTypeImageEffectHost";
    public const string TypeImageEffect = "OfxTypeImageEffect";
    public const string TypeImageEffectInstance = "OfxTypeImageEffectInstance";
    public const string TypeClip = "OfxTypeClip";
    public const string TypeImage = "OfxTypeImage";

    public const string RenderUnsafe = "OfxImageEffectRenderUnsafe";
    public const string RenderInstanceSafe = "OfxImageEffectRenderInstanceSafe";
    public const string RenderFullySafe = "OfxImageEffectRenderFullySafe";

    public const string ImageOpaque = "OfxImageOpaque";
    public const string ImagePreMultiplied = "OfxImageAlphaPremultiplied";
    public const string ImageUnPreMultiplied = "OfxImageAlphaUnPremultiplied";

    public const string FieldNone = "OfxFieldNone";
    public const string FieldLower = "OfxFieldLower";
    public const string FieldUpper = "OfxFieldUpper";
    public const string FieldBoth = "OfxFieldBoth";
    public const string FieldSingle = "OfxFieldSingle";
    public const string FieldDoubled = "OfxFieldDoubled";

    public const string OutputClipName = "Output";
    public const string SimpleSourceClipName = "Source";
    public const string TransitionSourceFromClipName = "SourceFrom";
    public const string TransitionSourceToClipName = "SourceTo";
    public const string TransitionParamName = "Transition";
    public const string RetimerParamName = "SourceTime";

    /// <summary>GetClipPreferences out-argument names are these prefixes followed by the clip's name.</summary>
    public const string ClipPropComponentsPrefix = "OfxImageClipPropComponents_";
    public const string ClipPropDepthPrefix = "OfxImageClipPropDepth_";
    public const string ClipPropPARPrefix = "OfxImageClipPropPAR_";
    public const string ClipPropRoIPrefix = "OfxImageClipPropRoI_";
}

/// <summary>Image effect, clip and image property names.</summary>
public static class OfxImageEffectProps
{
    public const string SupportedContexts = "OfxImageEffectPropSupportedContexts";
    public const string PluginHandle = "OfxImageEffectPropPluginHandle";
    public const string HostIsBackground = "OfxImageEffectHostPropIsBackground";
    public const string SingleInstance = "OfxImageEffectPluginPropSingleInstance";
    public const string RenderThreadSafety = "OfxImageEffectPluginRenderThreadSafety";
    public const string HostFrameThreading = "OfxImageEffectPluginPropHostFrameThreading";
    public const string SupportsMultipleClipDepths = "OfxImageEffectPropMultipleClipDepths";
    public const string SupportsMultipleClipPARs = "OfxImageEffectPropSupportsMultipleClipPARs";
    public const string ClipPreferencesSlaveParam = "OfxImageEffectPropClipPreferencesSlaveParam";
    public const string SetableFrameRate = "OfxImageEffectPropSetableFrameRate";
    public const string SetableFielding = "OfxImageEffectPropSetableFielding";
    public const string SequentialRender = "OfxImageEffectInstancePropSequentialRender";
    public const string SequentialRenderStatus = "OfxImageEffectPropSequentialRenderStatus";
    public const string HostNativeOrigin = "OfxImageEffectHostPropNativeOrigin";
    public const string InteractiveRenderStatus = "OfxImageEffectPropInteractiveRenderStatus";
    public const string Grouping = "OfxImageEffectPluginPropGrouping";
    public const string SupportsOverlays = "OfxImageEffectPropSupportsOverlays";
    public const string SupportsMultiResolution = "OfxImageEffectPropSupportsMultiResolution";
    public const string SupportsTiles = "OfxImageEffectPropSupportsTiles";
    public const string TemporalClipAccess = "OfxImageEffectPropTemporalClipAccess";
    public const string Context = "OfxImageEffectPropContext";
    public const string PixelDepth = "OfxImageEffectPropPixelDepth";
    public const string Components = "OfxImageEffectPropComponents";
    public const string ImageUniqueIdentifier = "OfxImagePropUniqueIdentifier";
    public const string ClipContinuousSamples = "OfxImageClipPropContinuousSamples";
    public const string ClipUnmappedPixelDepth = "OfxImageClipPropUnmappedPixelDepth";
    public const string ClipUnmappedComponents = "OfxImageClipPropUnmappedComponents";
    public const string PreMultiplication = "OfxImageEffectPropPreMultiplication";
    public const string SupportedPixelDepths = "OfxImageEffectPropSupportedPixelDepths";
    public const string SupportedComponents = "OfxImageEffectPropSupportedComponents";
    public const string ClipOptional = "OfxImageClipPropOptional";
    public const string ClipIsMask = "OfxImageClipPropIsMask";
    public const string ImagePixelAspectRatio = "OfxImagePropPixelAspectRatio";
    public const string FrameRate = "OfxImageEffectPropFrameRate";
    public const string FrameStep = "OfxImageEffectPropFrameStep";
    public const string FrameRange = "OfxImageEffectPropFrameRange";
    public const string ClipConnected = "OfxImageClipPropConnected";
    public const string FrameVarying = "OfxImageEffectFrameVarying";
    public const string RenderScale = "OfxImageEffectPropRenderScale";
    public const string RenderQualityDraft = "OfxImageEffectPropRenderQualityDraft";
    public const string ProjectSize = "OfxImageEffectPropProjectSize";
    public const string ProjectOffset = "OfxImageEffectPropProjectOffset";
    public const string ProjectExtent = "OfxImageEffectPropProjectExtent";
    public const string ProjectPixelAspectRatio = "OfxImageEffectPropPixelAspectRatio";
    public const string EffectDuration = "OfxImageEffectInstancePropEffectDuration";
    public const string ClipFieldOrder = "OfxImageClipPropFieldOrder";
    public const string ImageData = "OfxImagePropData";
    public const string ImageBounds = "OfxImagePropBounds";
    public const string ImageRegionOfDefinition = "OfxImagePropRegionOfDefinition";
    public const string ImageRowBytes = "OfxImagePropRowBytes";
    public const string ImageField = "OfxImagePropField";
    public const string FieldRenderTwiceAlways = "OfxImageEffectPluginPropFieldRenderTwiceAlways";
    public const string ClipFieldExtraction = "OfxImageClipPropFieldExtraction";
    public const string FieldToRender = "OfxImageEffectPropFieldToRender";
    public const string RegionOfDefinition = "OfxImageEffectPropRegionOfDefinition";
    public const string RegionOfInterest = "OfxImageEffectPropRegionOfInterest";
    public const string RenderWindow = "OfxImageEffectPropRenderWindow";
}
