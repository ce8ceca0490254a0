using System.Runtime.InteropServices;

namespace OpenFX.Net;

/// <summary>
/// OfxMessageSuiteV2 (ofxMessage.h); V1 is its first member alone. message and setPersistentMessage are printf-style
/// variadics, called through the native shim with the text as one "%s" argument (so a '%' in it is harmless).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct OfxMessageSuiteV2
{
    public void* Message;
    public void* SetPersistentMessage;
    public delegate* unmanaged<nint, int> ClearPersistentMessage;
}

/// <summary>The message suite, version 2 where the host has it, else version 1 (no persistent messages).</summary>
public sealed unsafe class MessageSuite(OfxMessageSuiteV2* suite, int version)
{
    public OfxMessageSuiteV2* Native { get; } = suite;

    /// <summary>1 or 2.</summary>
    public int Version { get; } = version;

    public bool HasPersistentMessages => Version >= 2 && Native->SetPersistentMessage != null;

    /// <summary>A message (type: <see cref="OfxMessageType"/>); handle is the effect instance or descriptor, or 0.</summary>
    public int Message(nint handle, string type, string? id, string text) => Send(Native->Message, handle, type, id, text);

    /// <summary>A message shown on the instance until cleared; falls back to <see cref="Message"/> with suite V1.</summary>
    public int SetPersistentMessage(nint instance, string type, string? id, string text) =>
        HasPersistentMessages ? Send(Native->SetPersistentMessage, instance, type, id, text) : Message(instance, type, id, text);

    public int ClearPersistentMessage(nint instance) =>
        HasPersistentMessages && Native->ClearPersistentMessage != null ? Native->ClearPersistentMessage(instance) : OfxStatus.ErrMissingHostFeature;

    private static int Send(void* fn, nint handle, string type, string? id, string text)
    {
        using var t = CString.Temp(text);
        using var i = CString.Temp(id ?? "");
        return ShimNative.Message(fn, handle, CString.Interned(type), id is null ? null : i.Pointer, t.Pointer);
    }
}
