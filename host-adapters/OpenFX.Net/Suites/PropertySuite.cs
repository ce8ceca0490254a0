using System.Runtime.InteropServices;

namespace OpenFX.Net;

/// <summary>OfxPropertySuiteV1 (ofxProperty.h).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct OfxPropertySuiteV1
{
    public delegate* unmanaged<nint, byte*, int, void*, int> PropSetPointer;
    public delegate* unmanaged<nint, byte*, int, byte*, int> PropSetString;
    public delegate* unmanaged<nint, byte*, int, double, int> PropSetDouble;
    public delegate* unmanaged<nint, byte*, int, int, int> PropSetInt;
    public delegate* unmanaged<nint, byte*, int, void**, int> PropSetPointerN;
    public delegate* unmanaged<nint, byte*, int, byte**, int> PropSetStringN;
    public delegate* unmanaged<nint, byte*, int, double*, int> PropSetDoubleN;
    public delegate* unmanaged<nint, byte*, int, int*, int> PropSetIntN;
    public delegate* unmanaged<nint, byte*, int, void**, int> PropGetPointer;
    public delegate* unmanaged<nint, byte*, int, byte**, int> PropGetString;
    public delegate* unmanaged<nint, byte*, int, double*, int> PropGetDouble;
    public delegate* unmanaged<nint, byte*, int, int*, int> PropGetInt;
    public delegate* unmanaged<nint, byte*, int, void**, int> PropGetPointerN;
    public delegate* unmanaged<nint, byte*, int, byte**, int> PropGetStringN;
    public delegate* unmanaged<nint, byte*, int, double*, int> PropGetDoubleN;
    public delegate* unmanaged<nint, byte*, int, int*, int> PropGetIntN;
    public delegate* unmanaged<nint, byte*, int> PropReset;
    public delegate* unmanaged<nint, byte*, int*, int> PropGetDimension;
}

/// <summary>
/// The property suite. Setters and Get* throw <see cref="OfxException"/> on a failed call; TryGet* return false.
/// Property names are interned (see <see cref="CString"/>); values are copied.
/// </summary>
public sealed unsafe class PropertySuite(OfxPropertySuiteV1* suite)
{
    public OfxPropertySuiteV1* Native { get; } = suite;

    public void SetString(nint props, string name, string value, int index = 0)
    {
        using var v = CString.Temp(value);
        Check(Native->PropSetString(props, CString.Interned(name), index, v.Pointer), name);
    }

    /// <summary>Sets every value of a string property, index by index (as the Support library does).</summary>
    public void SetStrings(nint props, string name, params ReadOnlySpan<string> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            SetString(props, name, values[i], i);
        }
    }

    public void SetInt(nint props, string name, int value, int index = 0) =>
        Check(Native->PropSetInt(props, CString.Interned(name), index, value), name);

    public void SetInts(nint props, string name, params ReadOnlySpan<int> values)
    {
        fixed (int* p = values)
        {
            Check(Native->PropSetIntN(props, CString.Interned(name), values.Length, p), name);
        }
    }

    public void SetDouble(nint props, string name, double value, int index = 0) =>
        Check(Native->PropSetDouble(props, CString.Interned(name), index, value), name);

    public void SetDoubles(nint props, string name, params ReadOnlySpan<double> values)
    {
        fixed (double* p = values)
        {
            Check(Native->PropSetDoubleN(props, CString.Interned(name), values.Length, p), name);
        }
    }

    public void SetPointer(nint props, string name, nint value, int index = 0) =>
        Check(Native->PropSetPointer(props, CString.Interned(name), index, (void*)value), name);

    public bool TryGetString(nint props, string name, out string? value, int index = 0)
    {
        byte* p = null;
        int status = Native->PropGetString(props, CString.Interned(name), index, &p);
        value = status == OfxStatus.OK ? CString.Read(p) : null;
        return status == OfxStatus.OK;
    }

    public string GetString(nint props, string name, int index = 0)
    {
        byte* p = null;
        Check(Native->PropGetString(props, CString.Interned(name), index, &p), name);
        return CString.Read(p) ?? "";
    }

    public bool TryGetInt(nint props, string name, out int value, int index = 0)
    {
        int v = 0;
        int status = Native->PropGetInt(props, CString.Interned(name), index, &v);
        value = v;
        return status == OfxStatus.OK;
    }

    public int GetInt(nint props, string name, int index = 0)
    {
        int v = 0;
        Check(Native->PropGetInt(props, CString.Interned(name), index, &v), name);
        return v;
    }

    public bool TryGetDouble(nint props, string name, out double value, int index = 0)
    {
        double v = 0;
        int status = Native->PropGetDouble(props, CString.Interned(name), index, &v);
        value = v;
        return status == OfxStatus.OK;
    }

    public double GetDouble(nint props, string name, int index = 0)
    {
        double v = 0;
        Check(Native->PropGetDouble(props, CString.Interned(name), index, &v), name);
        return v;
    }

    public bool TryGetPointer(nint props, string name, out nint value, int index = 0)
    {
        void* v = null;
        int status = Native->PropGetPointer(props, CString.Interned(name), index, &v);
        value = (nint)v;
        return status == OfxStatus.OK;
    }

    public nint GetPointer(nint props, string name, int index = 0)
    {
        void* v = null;
        Check(Native->PropGetPointer(props, CString.Interned(name), index, &v), name);
        return (nint)v;
    }

    /// <summary>Reads <paramref name="values"/>.Length ints (e.g. a rectangle's four).</summary>
    public bool TryGetInts(nint props, string name, Span<int> values)
    {
        fixed (int* p = values)
        {
            return Native->PropGetIntN(props, CString.Interned(name), values.Length, p) == OfxStatus.OK;
        }
    }

    public bool TryGetDoubles(nint props, string name, Span<double> values)
    {
        fixed (double* p = values)
        {
            return Native->PropGetDoubleN(props, CString.Interned(name), values.Length, p) == OfxStatus.OK;
        }
    }

    public int GetDimension(nint props, string name)
    {
        int n = 0;
        Check(Native->PropGetDimension(props, CString.Interned(name), &n), name);
        return n;
    }

    public void Reset(nint props, string name) => Check(Native->PropReset(props, CString.Interned(name)), name);

    /// <summary>All values of a string property (e.g. supported contexts).</summary>
    public string[] GetStrings(nint props, string name)
    {
        int n = GetDimension(props, name);
        var values = new string[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = GetString(props, name, i);
        }

        return values;
    }

    private static void Check(int status, string name) => OfxException.ThrowIfFailed(status, name);
}
