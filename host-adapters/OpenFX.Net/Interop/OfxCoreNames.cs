namespace OpenFX.Net;

// String values from ofxCore.h, ofxMessage.h and the suite headers, written from the OpenFX 1.5 specification.

/// <summary>Generic actions (ofxCore.h).</summary>
public static class OfxActions
{
    public const string Load = "OfxActionLoad";
    public const string Describe = "OfxActionDescribe";
    public const string Unload = "OfxActionUnload";
    public const string PurgeCaches = "OfxActionPurgeCaches";
    public const string SyncPrivateData = "OfxActionSyncPrivateData";
    public const string CreateInstance = "OfxActionCreateInstance";
    public const string DestroyInstance = "OfxActionDestroyInstance";
    public const string InstanceChanged = "OfxActionInstanceChanged";
    public const string BeginInstanceChanged = "OfxActionBeginInstanceChanged";
    public const string EndInstanceChanged = "OfxActionEndInstanceChanged";
    public const string BeginInstanceEdit = "OfxActionBeginInstanceEdit";
    public const string EndInstanceEdit = "OfxActionEndInstanceEdit";
}

/// <summary>Generic property names (ofxCore.h).</summary>
public static class OfxProps
{
    public const string APIVersion = "OfxPropAPIVersion";
    public const string Time = "OfxPropTime";
    public const string IsInteractive = "OfxPropIsInteractive";
    public const string PluginFilePath = "OfxPluginPropFilePath";
    public const string InstanceData = "OfxPropInstanceData";
    public const string Type = "OfxPropType";
    public const string Name = "OfxPropName";
    public const string Version = "OfxPropVersion";
    public const string VersionLabel = "OfxPropVersionLabel";
    public const string PluginDescription = "OfxPropPluginDescription";
    public const string Label = "OfxPropLabel";
    public const string Icon = "OfxPropIcon";
    public const string ShortLabel = "OfxPropShortLabel";
    public const string LongLabel = "OfxPropLongLabel";
    public const string ChangeReason = "OfxPropChangeReason";
    public const string EffectInstance = "OfxPropEffectInstance";
    public const string HostOSHandle = "OfxPropHostOSHandle";
    public const string ChangeUserEdited = "OfxChangeUserEdited";
    public const string ChangePluginEdited = "OfxChangePluginEdited";
    public const string ChangeTime = "OfxChangeTime";
}

/// <summary>Pixel depths (ofxCore.h).</summary>
public static class OfxBitDepth
{
    public const string None = "OfxBitDepthNone";
    public const string Byte = "OfxBitDepthByte";
    public const string Short = "OfxBitDepthShort";
    public const string Half = "OfxBitDepthHalf";
    public const string Float = "OfxBitDepthFloat";

    /// <summary>Bytes per component, 0 for an unknown depth.</summary>
    public static int BytesPerComponent(string? depth) => depth switch
    {
        Byte => 1,
        Short or Half => 2,
        Float => 4,
        _ => 0,
    };
}

/// <summary>Suite names and the versions this library binds.</summary>
public static class OfxSuiteNames
{
    public const string Property = "OfxPropertySuite";
    public const string ImageEffect = "OfxImageEffectSuite";
    public const string Parameter = "OfxParameterSuite";
    public const string Memory = "OfxMemorySuite";
    public const string MultiThread = "OfxMultiThreadSuite";
    public const string Message = "OfxMessageSuite";
    public const string Progress = "OfxProgressSuite";
    public const string TimeLine = "OfxTimeLineSuite";
}

/// <summary>Message types (ofxMessage.h).</summary>
public static class OfxMessageType
{
    public const string Fatal = "OfxMessageFatal";
    public const string Error = "OfxMessageError";
    public const string Warning = "OfxMessageWarning";
    public const string Message = "OfxMessageMessage";
    public const string Log = "OfxMessageLog";
    public const string Question = "OfxMessageQuestion";
}
