namespace OpenFX.Net;

/// <summary>OfxStatus values (ofxCore.h, ofxImageEffect.h).</summary>
public static class OfxStatus
{
    public const int OK = 0;
    public const int Failed = 1;
    public const int ErrFatal = 2;
    public const int ErrUnknown = 3;
    public const int ErrMissingHostFeature = 4;
    public const int ErrUnsupported = 5;
    public const int ErrExists = 6;
    public const int ErrFormat = 7;
    public const int ErrMemory = 8;
    public const int ErrBadHandle = 9;
    public const int ErrBadIndex = 10;
    public const int ErrValue = 11;
    public const int ReplyYes = 12;
    public const int ReplyNo = 13;
    public const int ReplyDefault = 14;
    public const int Unlicensed = 15;
    public const int ErrImageFormat = 1000;

    public static string Name(int status) => status switch
    {
        OK => "kOfxStatOK",
        Failed => "kOfxStatFailed",
        ErrFatal => "kOfxStatErrFatal",
        ErrUnknown => "kOfxStatErrUnknown",
        ErrMissingHostFeature => "kOfxStatErrMissingHostFeature",
        ErrUnsupported => "kOfxStatErrUnsupported",
        ErrExists => "kOfxStatErrExists",
        ErrFormat => "kOfxStatErrFormat",
        ErrMemory => "kOfxStatErrMemory",
        ErrBadHandle => "kOfxStatErrBadHandle",
        ErrBadIndex => "kOfxStatErrBadIndex",
        ErrValue => "kOfxStatErrValue",
        ReplyYes => "kOfxStatReplyYes",
        ReplyNo => "kOfxStatReplyNo",
        ReplyDefault => "kOfxStatReplyDefault",
        Unlicensed => "kOfxStatUnlicensed",
        ErrImageFormat => "kOfxStatErrImageFormat",
        _ => $"OfxStatus {status}",
    };
}

/// <summary>A suite call that did not return kOfxStatOK, or an action that must fail with a given status.</summary>
public sealed class OfxException : Exception
{
    public OfxException(int status, string message) : base($"{message}: {OfxStatus.Name(status)}") => Status = status;

    public OfxException() : this(OfxStatus.Failed, "OpenFX call failed")
    {
    }

    public OfxException(string message) : this(OfxStatus.Failed, message)
    {
    }

    public OfxException(string message, Exception innerException) : base(message, innerException) => Status = OfxStatus.Failed;

    public int Status { get; }

    /// <summary>Throws unless <paramref name="status"/> is kOfxStatOK.</summary>
    public static void ThrowIfFailed(int status, string what)
    {
        if (status != OfxStatus.OK)
        {
            throw new OfxException(status, what);
        }
    }
}
