using System.Runtime.InteropServices;

namespace OpenFX.Net;

/// <summary>
/// OfxParameterSuiteV1 (ofxParam.h). The value functions are C variadics: they are kept as untyped pointers and
/// called through the native shim (ofxparam_shim.c), never directly.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct OfxParameterSuiteV1
{
    public delegate* unmanaged<nint, byte*, byte*, nint*, int> ParamDefine;
    public delegate* unmanaged<nint, byte*, nint*, nint*, int> ParamGetHandle;
    public delegate* unmanaged<nint, nint*, int> ParamSetGetPropertySet;
    public delegate* unmanaged<nint, nint*, int> ParamGetPropertySet;
    public void* ParamGetValue;
    public void* ParamGetValueAtTime;
    public void* ParamGetDerivative;
    public void* ParamGetIntegral;
    public void* ParamSetValue;
    public void* ParamSetValueAtTime;
    public delegate* unmanaged<nint, uint*, int> ParamGetNumKeys;
    public delegate* unmanaged<nint, uint, double*, int> ParamGetKeyTime;
    public delegate* unmanaged<nint, double, int, int*, int> ParamGetKeyIndex;
    public delegate* unmanaged<nint, double, int> ParamDeleteKey;
    public delegate* unmanaged<nint, int> ParamDeleteAllKeys;
    public delegate* unmanaged<nint, nint, double, OfxRangeD*, int> ParamCopy;
    public delegate* unmanaged<nint, byte*, int> ParamEditBegin;
    public delegate* unmanaged<nint, int> ParamEditEnd;
}

/// <summary>
/// The parameter suite. Int, boolean and choice values are ints; double, RGB(A) and 2D/3D doubles are doubles
/// (one per dimension, 1..4); strings are UTF-8 (host-owned on get, copied here).
/// </summary>
public sealed unsafe class ParameterSuite(OfxParameterSuiteV1* suite)
{
    public OfxParameterSuiteV1* Native { get; } = suite;

    /// <summary>Defines a parameter on a descriptor's param set; returns its property set.</summary>
    public nint Define(nint paramSet, string type, string name)
    {
        nint props = 0;
        OfxException.ThrowIfFailed(Native->ParamDefine(paramSet, CString.Interned(type), CString.Interned(name), &props), "paramDefine " + name);
        return props;
    }

    public bool TryGetHandle(nint paramSet, string name, out nint param, out nint props)
    {
        nint h = 0, p = 0;
        bool ok = Native->ParamGetHandle(paramSet, CString.Interned(name), &h, &p) == OfxStatus.OK && h != 0;
        param = h;
        props = p;
        return ok;
    }

    public nint ParamSetGetPropertySet(nint paramSet)
    {
        nint props = 0;
        OfxException.ThrowIfFailed(Native->ParamSetGetPropertySet(paramSet, &props), "paramSetGetPropertySet");
        return props;
    }

    public nint GetPropertySet(nint param)
    {
        nint props = 0;
        OfxException.ThrowIfFailed(Native->ParamGetPropertySet(param, &props), "paramGetPropertySet");
        return props;
    }

    public int GetValue(nint param, Span<int> values)
    {
        fixed (int* p = values) return ShimNative.GetInts(Native->ParamGetValue, param, p, values.Length);
    }

    public int GetValue(nint param, Span<double> values)
    {
        fixed (double* p = values) return ShimNative.GetDoubles(Native->ParamGetValue, param, p, values.Length);
    }

    public int GetValue(nint param, out string? value)
    {
        byte* p = null;
        int status = ShimNative.GetString(Native->ParamGetValue, param, &p);
        value = status == OfxStatus.OK ? CString.Read(p) : null;
        return status;
    }

    public int GetValueAtTime(nint param, double time, Span<int> values)
    {
        fixed (int* p = values) return ShimNative.GetIntsAt(Native->ParamGetValueAtTime, param, time, p, values.Length);
    }

    public int GetValueAtTime(nint param, double time, Span<double> values)
    {
        fixed (double* p = values) return ShimNative.GetDoublesAt(Native->ParamGetValueAtTime, param, time, p, values.Length);
    }

    public int GetValueAtTime(nint param, double time, out string? value)
    {
        byte* p = null;
        int status = ShimNative.GetStringAt(Native->ParamGetValueAtTime, param, time, &p);
        value = status == OfxStatus.OK ? CString.Read(p) : null;
        return status;
    }

    /// <summary>The derivative of a double-valued param at a time (one value per dimension).</summary>
    public int GetDerivative(nint param, double time, Span<double> values)
    {
        fixed (double* p = values) return ShimNative.GetDoublesAt(Native->ParamGetDerivative, param, time, p, values.Length);
    }

    public int GetIntegral(nint param, double time1, double time2, Span<double> values)
    {
        fixed (double* p = values) return ShimNative.GetDoublesIntegral(Native->ParamGetIntegral, param, time1, time2, p, values.Length);
    }

    public int SetValue(nint param, ReadOnlySpan<int> values)
    {
        fixed (int* p = values) return ShimNative.SetInts(Native->ParamSetValue, param, p, values.Length);
    }

    public int SetValue(nint param, ReadOnlySpan<double> values)
    {
        fixed (double* p = values) return ShimNative.SetDoubles(Native->ParamSetValue, param, p, values.Length);
    }

    public int SetValue(nint param, string value)
    {
        using var v = CString.Temp(value);
        return ShimNative.SetString(Native->ParamSetValue, param, v.Pointer);
    }

    public int SetValueAtTime(nint param, double time, ReadOnlySpan<int> values)
    {
        fixed (int* p = values) return ShimNative.SetIntsAt(Native->ParamSetValueAtTime, param, time, p, values.Length);
    }

    public int SetValueAtTime(nint param, double time, ReadOnlySpan<double> values)
    {
        fixed (double* p = values) return ShimNative.SetDoublesAt(Native->ParamSetValueAtTime, param, time, p, values.Length);
    }

    public int SetValueAtTime(nint param, double time, string value)
    {
        using var v = CString.Temp(value);
        return ShimNative.SetStringAt(Native->ParamSetValueAtTime, param, time, v.Pointer);
    }

    public int GetNumKeys(nint param, out uint count)
    {
        uint n = 0;
        int status = Native->ParamGetNumKeys(param, &n);
        count = n;
        return status;
    }

    public int GetKeyTime(nint param, uint nth, out double time)
    {
        double t = 0;
        int status = Native->ParamGetKeyTime(param, nth, &t);
        time = t;
        return status;
    }

    /// <summary>direction: 0 a key exactly at time, -1 the key before, 1 the key after.</summary>
    public int GetKeyIndex(nint param, double time, int direction, out int index)
    {
        int i = 0;
        int status = Native->ParamGetKeyIndex(param, time, direction, &i);
        index = i;
        return status;
    }

    public int DeleteKey(nint param, double time) => Native->ParamDeleteKey(param, time);

    public int DeleteAllKeys(nint param) => Native->ParamDeleteAllKeys(param);

    public int Copy(nint to, nint from, double offset, OfxRangeD? range)
    {
        if (range is { } r)
        {
            return Native->ParamCopy(to, from, offset, &r);
        }

        return Native->ParamCopy(to, from, offset, null);
    }

    public int EditBegin(nint paramSet, string name)
    {
        using var n = CString.Temp(name);
        return Native->ParamEditBegin(paramSet, n.Pointer);
    }

    public int EditEnd(nint paramSet) => Native->ParamEditEnd(paramSet);
}
