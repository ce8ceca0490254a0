namespace OpenFX.Net;

/// <summary>
/// Defines parameters on a descriptor's param set with the properties hosts need: label, hint, default, and for
/// numbers both the range (kOfxParamPropMin/Max) and the display range (kOfxParamPropDisplayMin/Max) — DaVinci
/// Resolve clamps a slider to ±1 unless both are set. Each method returns the param's property set.
/// </summary>
public sealed class ParamDefiner(OfxHostContext host, nint paramSet)
{
    private PropertySuite P => host.Property;

    public nint ParamSet { get; } = paramSet;

    public nint Int(string name, string label, int defaultValue, int min, int max, string hint, string? parent = null)
    {
        nint p = Define(OfxParamType.Integer, name, label, hint, parent);
        P.SetInt(p, OfxParamProps.Default, defaultValue);
        P.SetInt(p, OfxParamProps.Min, min);
        P.SetInt(p, OfxParamProps.Max, max);
        P.SetInt(p, OfxParamProps.DisplayMin, min);
        P.SetInt(p, OfxParamProps.DisplayMax, max);
        return p;
    }

    public nint Double(string name, string label, double defaultValue, double min, double max, string hint, string? parent = null, double increment = 0.1, int digits = 2)
    {
        nint p = Define(OfxParamType.Double, name, label, hint, parent);
        P.SetDouble(p, OfxParamProps.Default, defaultValue);
        P.SetDouble(p, OfxParamProps.Min, min);
        P.SetDouble(p, OfxParamProps.Max, max);
        P.SetDouble(p, OfxParamProps.DisplayMin, min);
        P.SetDouble(p, OfxParamProps.DisplayMax, max);
        P.SetDouble(p, OfxParamProps.Increment, increment);
        P.SetInt(p, OfxParamProps.Digits, digits);
        P.SetString(p, OfxParamProps.DoubleType, OfxParamProps.DoubleTypePlain);
        return p;
    }

    public nint Boolean(string name, string label, bool defaultValue, string hint, string? parent = null)
    {
        nint p = Define(OfxParamType.Boolean, name, label, hint, parent);
        P.SetInt(p, OfxParamProps.Default, defaultValue ? 1 : 0);
        return p;
    }

    /// <summary>A choice; its value is the index into options, which keep the given order.</summary>
    public nint Choice(string name, string label, ReadOnlySpan<string> options, int defaultIndex, string hint, string? parent = null)
    {
        nint p = Define(OfxParamType.Choice, name, label, hint, parent);
        P.SetStrings(p, OfxParamProps.ChoiceOption, options);
        P.SetInt(p, OfxParamProps.Default, defaultIndex);
        return p;
    }

    /// <summary>A string; mode is kOfxParamStringIsFilePath, kOfxParamStringIsDirectoryPath, single line ...</summary>
    public nint String(string name, string label, string defaultValue, string mode, string hint, string? parent = null, bool animates = false)
    {
        nint p = Define(OfxParamType.String, name, label, hint, parent);
        P.SetString(p, OfxParamProps.Default, defaultValue);
        P.SetString(p, OfxParamProps.StringMode, mode);
        if (mode == OfxParamProps.StringIsFilePath)
        {
            P.SetInt(p, OfxParamProps.StringFilePathExists, 1);
        }

        P.SetInt(p, OfxParamProps.Animates, animates ? 1 : 0);
        return p;
    }

    public nint PushButton(string name, string label, string hint, string? parent = null) => Define(OfxParamType.PushButton, name, label, hint, parent);

    public nint Group(string name, string label, bool open = true)
    {
        nint p = host.Parameter.Define(ParamSet, OfxParamType.Group, name);
        P.SetString(p, OfxProps.Label, label);
        P.SetInt(p, OfxParamProps.GroupOpen, open ? 1 : 0);
        return p;
    }

    /// <summary>A page listing its children (params, groups) in order.</summary>
    public nint Page(string name, string label, ReadOnlySpan<string> children)
    {
        nint p = host.Parameter.Define(ParamSet, OfxParamType.Page, name);
        P.SetString(p, OfxProps.Label, label);
        P.SetStrings(p, OfxParamProps.PageChild, children);
        return p;
    }

    private nint Define(string type, string name, string label, string hint, string? parent)
    {
        nint p = host.Parameter.Define(ParamSet, type, name);
        P.SetString(p, OfxProps.Label, label);
        P.SetString(p, OfxParamProps.Hint, hint);
        P.SetString(p, OfxParamProps.ScriptName, name);
        if (parent is not null)
        {
            P.SetString(p, OfxParamProps.Parent, parent);
        }

        return p;
    }
}
