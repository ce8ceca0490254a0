namespace OpenFX.Net;

/// <summary>
/// The host a plug-in was given through setHost, and the suites fetched from it. The property, image effect and
/// parameter suites are required (Load fails without them); the others are null when the host lacks them.
/// Suites are fetched once per host pointer and kept: a host's suites live as long as the binary is loaded.
/// </summary>
public sealed unsafe class OfxHostContext
{
    private OfxHostContext(OfxHost* host)
    {
        Native = host;
        Property = new PropertySuite((OfxPropertySuiteV1*)Fetch(OfxSuiteNames.Property, 1));
        ImageEffect = new ImageEffectSuite((OfxImageEffectSuiteV1*)Fetch(OfxSuiteNames.ImageEffect, 1));
        Parameter = new ParameterSuite((OfxParameterSuiteV1*)Fetch(OfxSuiteNames.Parameter, 1));

        void* message = host->FetchSuite(host->Host, CString.Interned(OfxSuiteNames.Message), 2);
        if (message != null)
        {
            Message = new MessageSuite((OfxMessageSuiteV2*)message, 2);
        }
        else if ((message = host->FetchSuite(host->Host, CString.Interned(OfxSuiteNames.Message), 1)) != null)
        {
            Message = new MessageSuite((OfxMessageSuiteV2*)message, 1);
        }

        void* progress = host->FetchSuite(host->Host, CString.Interned(OfxSuiteNames.Progress), 2);
        if (progress != null)
        {
            Progress = new ProgressSuite((OfxProgressSuiteV2*)progress);
        }
        else if ((progress = host->FetchSuite(host->Host, CString.Interned(OfxSuiteNames.Progress), 1)) != null)
        {
            Progress = new ProgressSuite((OfxProgressSuiteV1*)progress);
        }

        void* memory = host->FetchSuite(host->Host, CString.Interned(OfxSuiteNames.Memory), 1);
        Memory = memory == null ? null : new MemorySuite((OfxMemorySuiteV1*)memory);
        void* threads = host->FetchSuite(host->Host, CString.Interned(OfxSuiteNames.MultiThread), 1);
        MultiThread = threads == null ? null : new MultiThreadSuite((OfxMultiThreadSuiteV1*)threads);
        void* timeLine = host->FetchSuite(host->Host, CString.Interned(OfxSuiteNames.TimeLine), 1);
        TimeLine = timeLine == null ? null : new TimeLineSuite((OfxTimeLineSuiteV1*)timeLine);

        Name = Property.TryGetString(host->Host, OfxProps.Name, out string? name) ? name ?? "" : "";
        Label = Property.TryGetString(host->Host, OfxProps.Label, out string? label) ? label ?? Name : Name;
        IsBackground = Property.TryGetInt(host->Host, OfxImageEffectProps.HostIsBackground, out int bg) && bg != 0;
    }

    public OfxHost* Native { get; }

    /// <summary>The host's kOfxPropName (e.g. "uk.co.thefoundry.nuke", "DaVinciResolve"), "" if unset.</summary>
    public string Name { get; }

    public string Label { get; }

    /// <summary>kOfxImageEffectHostPropIsBackground: a render farm or command-line host with no UI.</summary>
    public bool IsBackground { get; }

    public PropertySuite Property { get; }

    public ImageEffectSuite ImageEffect { get; }

    public ParameterSuite Parameter { get; }

    public MessageSuite? Message { get; }

    public ProgressSuite? Progress { get; }

    public MemorySuite? Memory { get; }

    public MultiThreadSuite? MultiThread { get; }

    public TimeLineSuite? TimeLine { get; }

    /// <summary>Binds a host; throws <see cref="OfxException"/> (kOfxStatErrMissingHostFeature) without the required suites.</summary>
    public static OfxHostContext Create(OfxHost* host)
    {
        if (host == null || host->FetchSuite == null)
        {
            throw new OfxException(OfxStatus.ErrMissingHostFeature, "no host (setHost not called)");
        }

        return new OfxHostContext(host);
    }

    private void* Fetch(string name, int version)
    {
        void* suite = Native->FetchSuite(Native->Host, CString.Interned(name), version);
        return suite != null ? suite : throw new OfxException(OfxStatus.ErrMissingHostFeature, $"host has no {name} V{version}");
    }
}
