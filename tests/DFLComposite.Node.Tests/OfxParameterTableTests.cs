using System.Reflection;
using System.Text.Json;
using DFLComposite.Engine.Jobs;
using DFLComposite.Engine.Merge;
using DFLComposite.Engine.Models;
using DFLComposite.Engine.Plugins;
using DFLComposite.Plugins;
using DFLComposite.Engine.Settings;
using DFLComposite.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace DFLComposite.Node.Tests;

/// <summary>
/// Face Swap's parameters as a host reads them from the built bundle (the OFX test host's describe), checked against
/// the engine's own declarations of <see cref="MergeSettings"/>: a setting added to the engine without a parameter, a
/// range or default that drifts, or a choice the node would refuse fails here, not in an editor.
/// </summary>
public sealed class OfxParameterTableTests : IDisposable
{
    // Settings that are not timeline parameters, and why.
    private static readonly Dictionary<string, string> NotParameters = new()
    {
        ["codec"] = "the host encodes its own output",
        ["crf"] = "the host encodes its own output",
        ["detector"] = "a plugin name found at run time; a choice parameter's order is stored by projects and may never change",
        ["landmarker"] = "a plugin name found at run time; a choice parameter's order is stored by projects and may never change",
    };

    // Choices the effect leaves out, and why.
    private static readonly Dictionary<string, string[]> LeftOut = new()
    {
        ["mode"] = ["raw-predict"], // its output is the model's face square, not a frame the size of the clip
    };

    private readonly string _config = Directory.CreateTempSubdirectory("dflc-ofx-table-").FullName;

    [Fact]
    public void Every_merge_setting_is_a_face_swap_parameter_with_the_engines_range_default_and_choices()
    {
        JsonElement parameters = SwapParameters();
        var defaults = new MergeSettings();
        var names = JobJson.Options.PropertyNamingPolicy!;
        int checkedCount = 0;
        foreach (PropertyInfo property in typeof(MergeSettings).GetProperties())
        {
            if (property.GetCustomAttribute<SettingAttribute>() is not { } setting)
            {
                continue;
            }

            string name = names.ConvertName(property.Name);
            if (NotParameters.ContainsKey(name))
            {
                Assert.False(parameters.TryGetProperty(name, out _), $"{name} is declared as a parameter but listed as not one");
                continue;
            }

            Assert.True(parameters.TryGetProperty(name, out JsonElement param), $"MergeSettings.{property.Name} has no OFX parameter '{name}'");
            JsonElement props = param.GetProperty("props");
            object value = property.GetValue(defaults)!;
            switch (value)
            {
                case int or double:
                    Assert.Equal(value is int ? "OfxParamTypeInteger" : "OfxParamTypeDouble", param.GetProperty("type").GetString());
                    Assert.Equal((setting.Min, setting.Max, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
                        (Number(props, "OfxParamPropMin"), Number(props, "OfxParamPropMax"), Number(props, "OfxParamPropDefault")));
                    break;
                case string text:
                    Assert.Equal("OfxParamTypeChoice", param.GetProperty("type").GetString());
                    string[] options = [.. props.GetProperty("OfxParamPropChoiceOption").EnumerateArray().Select(o => o.GetString()!)];
                    string[] engine = [.. Choices(setting).Except(LeftOut.GetValueOrDefault(name, []))];
                    Assert.Equal(engine.Order(StringComparer.Ordinal), options.Order(StringComparer.Ordinal));
                    if (setting.Plugin is null)
                    {
                        Assert.Equal(engine, options); // declared order: the stored index means the same option
                    }

                    Assert.Equal(Array.IndexOf(options, text), (int)Number(props, "OfxParamPropDefault"));
                    break;
                default:
                    Assert.Fail($"MergeSettings.{property.Name} is a {value.GetType().Name}; teach the OFX table and this test that type");
                    break;
            }

            checkedCount++;
        }

        Assert.True(checkedCount >= 14, $"only {checkedCount} settings checked");
    }

    // The values the engine accepts: declared choices, plus the names of the plugins of the setting's family that
    // dflc (the node the effect talks to) finds.
    private static IEnumerable<string> Choices(SettingAttribute setting)
    {
        if (setting.Plugin is null)
        {
            return setting.Choices ?? [];
        }

        string plugins = Path.Combine(Path.GetDirectoryName(TestPaths.Dflc)!, "plugins");
        using var catalog = PluginCatalog.Load([plugins], new PluginContext(ModelManifest.DefaultDirectory(), NullLoggerFactory.Instance));
        string[] names = [.. catalog.Parts.Where(p => p.Contract == setting.Plugin).Select(p => p.Metadata.Name)];
        Assert.NotEmpty(names);
        return names.Concat(setting.Choices ?? []).Distinct();
    }

    private JsonElement SwapParameters()
    {
        string host = OfxEndToEndTests.HostExe.Value;
        string bundle = Path.Combine(TestPaths.RepoRoot, "artifacts", "ofx", "DFLComposite.ofx.bundle");
        Assert.True(Directory.Exists(bundle), $"{bundle} is missing: the solution build lays out the bundle");
        var r = ProcessRunner.Run(host, ["describe", bundle], new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = _config });
        Assert.True(r.ExitCode == 0, r.All);
        using JsonDocument doc = JsonDocument.Parse(r.StdOut);
        JsonElement swap = doc.RootElement.GetProperty("plugins").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "org.dflcomposite.faceswap");
        return swap.GetProperty("contexts").GetProperty("OfxImageEffectContextFilter").GetProperty("params").Clone();
    }

    private static double Number(JsonElement props, string name) => props.GetProperty(name)[0].GetDouble();

    public void Dispose() => Directory.Delete(_config, recursive: true);
}
