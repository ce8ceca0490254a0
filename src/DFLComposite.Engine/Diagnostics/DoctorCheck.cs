namespace DFLComposite.Engine.Diagnostics;

public enum CheckStatus
{
    Ok,
    Info,
    Warning,
    Failed,
}

/// <summary>One line of <c>dflc doctor</c>: what was checked, what was found, and how to fix a failure.</summary>
public sealed record DoctorCheck(string Name, CheckStatus Status, string Detail, string? Fix = null);
