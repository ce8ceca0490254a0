namespace OpenFX.Net;

// String values from ofxParam.h, written from the OpenFX 1.5 specification.

/// <summary>Parameter types (kOfxParamType*).</summary>
public static class OfxParamType
{
    public const string Integer = "OfxParamTypeInteger";
    public const string Double = "OfxParamTypeDouble";
    public const string Boolean = "OfxParamTypeBoolean";
    public const string Choice = "OfxParamTypeChoice";
    public const string StrChoice = "OfxParamTypeStrChoice";
    public const string RGBA = "OfxParamTypeRGBA";
    public const string RGB = "OfxParamTypeRGB";
    public const string Double2D = "OfxParamTypeDouble2D";
    public const string Integer2D = "OfxParamTypeInteger2D";
    public const string Double3D = "OfxParamTypeDouble3D";
    public const string Integer3D = "OfxParamTypeInteger3D";
    public const string String = "OfxParamTypeString";
    public const string Custom = "OfxParamTypeCustom";
    public const string Bytes = "OfxParamTypeBytes";
    public const string Group = "OfxParamTypeGroup";
    public const string Page = "OfxParamTypePage";
    public const string PushButton = "OfxParamTypePushButton";
}

/// <summary>Parameter property names and values.</summary>
public static class OfxParamProps
{
    public const string TypeParameter = "OfxTypeParameter";
    public const string TypeParameterInstance = "OfxTypeParameterInstance";

    public const string HostSupportsCustomAnimation = "OfxParamHostPropSupportsCustomAnimation";
    public const string HostSupportsStringAnimation = "OfxParamHostPropSupportsStringAnimation";
    public const string HostSupportsBooleanAnimation = "OfxParamHostPropSupportsBooleanAnimation";
    public const string HostSupportsChoiceAnimation = "OfxParamHostPropSupportsChoiceAnimation";
    public const string HostMaxParameters = "OfxParamHostPropMaxParameters";
    public const string HostMaxPages = "OfxParamHostPropMaxPages";
    public const string HostPageRowColumnCount = "OfxParamHostPropPageRowColumnCount";

    public const string Type = "OfxParamPropType";
    public const string Animates = "OfxParamPropAnimates";
    public const string CanUndo = "OfxParamPropCanUndo";
    public const string IsAnimating = "OfxParamPropIsAnimating";
    public const string PluginMayWrite = "OfxParamPropPluginMayWrite";
    public const string Persistant = "OfxParamPropPersistant";
    public const string EvaluateOnChange = "OfxParamPropEvaluateOnChange";
    public const string Secret = "OfxParamPropSecret";
    public const string ScriptName = "OfxParamPropScriptName";
    public const string CacheInvalidation = "OfxParamPropCacheInvalidation";
    public const string Hint = "OfxParamPropHint";
    public const string Default = "OfxParamPropDefault";
    public const string DoubleType = "OfxParamPropDoubleType";
    public const string DoubleTypePlain = "OfxParamDoubleTypePlain";
    public const string DoubleTypeScale = "OfxParamDoubleTypeScale";
    public const string PageOrder = "OfxPluginPropParamPageOrder";
    public const string PageChild = "OfxParamPropPageChild";
    public const string Parent = "OfxParamPropParent";
    public const string GroupOpen = "OfxParamPropGroupOpen";
    public const string Enabled = "OfxParamPropEnabled";
    public const string DataPtr = "OfxParamPropDataPtr";
    public const string ChoiceOption = "OfxParamPropChoiceOption";
    public const string ChoiceOrder = "OfxParamPropChoiceOrder";
    public const string Min = "OfxParamPropMin";
    public const string Max = "OfxParamPropMax";
    public const string DisplayMin = "OfxParamPropDisplayMin";
    public const string DisplayMax = "OfxParamPropDisplayMax";
    public const string Increment = "OfxParamPropIncrement";
    public const string Digits = "OfxParamPropDigits";
    public const string StringMode = "OfxParamPropStringMode";
    public const string StringFilePathExists = "OfxParamPropStringFilePathExists";
    public const string StringIsSingleLine = "OfxParamStringIsSingleLine";
    public const string StringIsMultiLine = "OfxParamStringIsMultiLine";
    public const string StringIsFilePath = "OfxParamStringIsFilePath";
    public const string StringIsDirectoryPath = "OfxParamStringIsDirectoryPath";
    public const string StringIsLabel = "OfxParamStringIsLabel";
    public const string InterpolationTime = "OfxParamPropInterpolationTime";
    public const string InterpolationAmount = "OfxParamPropInterpolationAmount";
}
