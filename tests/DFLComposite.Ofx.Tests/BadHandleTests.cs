using System.Text.Json;

namespace DFLComposite.Ofx.Tests;

/// <summary>Null and unknown handles, missing arguments and misuse come back as statuses, never as a crash.</summary>
public sealed class BadHandleTests
{
    private const int OK = 0, Failed = 1, ErrBadHandle = 9, ErrValue = 11, ReplyDefault = 14, ErrImageFormat = 1000;

    [Theory]
    [InlineData("org.dflcomposite.faceswap")]
    [InlineData("org.dflcomposite.facematte")]
    public void Every_bad_call_gets_an_error_status(string plugin)
    {
        OfxHarness h = OfxHarness.Shared;
        JsonElement r = h.RunHost(["badhandles", h.Bundle, "--plugin", plugin], new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = h.EmptyConfig() }).RootElement;
        Assert.True(r.GetProperty("survived").GetBoolean());
        Dictionary<string, int> status = r.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("case").GetString()!, c => c.GetProperty("status").GetInt32());
        var expected = new Dictionary<string, int>
        {
            ["load again"] = OK,
            ["null action"] = ErrValue,
            ["describe with null handle"] = ErrBadHandle,
            ["describe with unknown handle"] = ErrBadHandle,
            ["create with unknown handle"] = ErrBadHandle,
            ["render with null handle"] = ErrBadHandle,
            ["render with unknown handle"] = ErrBadHandle,
            ["render an instance never created"] = ErrBadHandle,
            ["create"] = OK,
            ["unknown action"] = ReplyDefault,
            ["render with null inArgs"] = ErrBadHandle,
            ["render without a render window"] = ErrValue,
            ["render without images"] = Failed,
            ["render with source and output of different depths"] = ErrImageFormat,
            ["get region of definition with null args"] = ErrBadHandle,
            ["is identity with null args"] = ErrBadHandle,
            ["instance changed with null args"] = ErrBadHandle,
            ["instance of another plug-in"] = ErrBadHandle,
            ["destroy"] = OK,
            ["destroy again"] = ErrBadHandle,
            ["render after destroy"] = ErrBadHandle,
            ["OfxGetPlugin(-1) is null"] = OK,
            ["OfxGetPlugin(99) is null"] = OK,
        };
        Assert.Equal(expected.OrderBy(k => k.Key), status.OrderBy(k => k.Key));
    }
}
