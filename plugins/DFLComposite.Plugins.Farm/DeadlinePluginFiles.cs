namespace DFLComposite.Plugins.Farm;

/// <summary>
/// The Deadline 10 application plugin for dflc (a folder for the repository's <c>custom/plugins/Dflc</c>): a Simple
/// plugin whose render executable and arguments come from the plugin config and the job's plugin info, building
/// <c>--frames &lt;start&gt;-&lt;end&gt;</c> from the task's frames; stdout handlers turn dflc's <c>PROGRESS nn.n%</c>
/// lines into SetProgress and its <c>dflc: ...</c> error lines into FailRender. Written from Deadline's scripting
/// reference (DeadlinePlugin, PluginType.Simple, AddStdoutHandlerCallback, GetRegexMatch, FileUtils.SearchFileList).
/// </summary>
internal static class DeadlinePluginFiles
{
    public const string Python = """"
        # Deadline 10 application plugin for dflc (DFLComposite's render node), written by `dflc farm submit --scheduler
        # deadline`. Install: copy this folder to <repository>/custom/plugins/Dflc. Each task runs
        #   dflc render --job JOB --frames <first>-<last>      (Mode=render, one task per chunk of frames)
        #   dflc assemble --job JOB -o OUTPUT                  (Mode=assemble, the dependent job after every chunk)
        # dflc prints "PROGRESS 42.0% ..." lines on stdout (a task's progress) and "dflc: <what went wrong>" lines on
        # error; its exit code is documented (0 ok, 3 bad input, 5 no face, 6 cannot write, 130 cancelled: frames kept).
        import re

        from Deadline.Plugins import DeadlinePlugin, PluginType
        from Deadline.Scripting import FileUtils

        PROGRESS_PATTERN = r"^PROGRESS ([0-9]+(?:\.[0-9]+)?)%\s*(.*)$"
        # "dflc: warning: ..." is advice, not a failure
        ERROR_PATTERN = r"^dflc: (?!warning)(.*)$"


        def GetDeadlinePlugin():
            return DflcPlugin()


        def CleanupDeadlinePlugin(deadlinePlugin):
            deadlinePlugin.Cleanup()


        def parse_progress(line):
            """The percentage of a dflc PROGRESS line, or None for any other line."""
            match = re.match(PROGRESS_PATTERN, line)
            return float(match.group(1)) if match else None


        def split_arguments(text):
            """Extra arguments stored in plugin info, separated by ';' (so paths may hold spaces)."""
            return [part for part in (text or "").split(";") if part.strip()]


        def quote(argument):
            return '"' + argument.replace('"', '\\"') + '"' if re.search(r'[\s"]', argument) else argument


        def build_arguments(info, start, end):
            """dflc's arguments for a task: info is the job's plugin info (a dict-like getter)."""
            arguments = split_arguments(info("DflcArguments"))
            arguments += ["--threads", info("Threads") or "1"]
            if info("Mode") == "assemble":
                arguments += ["assemble", "--job", info("JobFile"), "-o", info("Output")]
                arguments += split_arguments(info("AssembleArguments"))
            else:
                arguments += ["render", "--job", info("JobFile"), "--frames", "%d-%d" % (start, end)]
            return " ".join(quote(a) for a in arguments)


        class DflcPlugin(DeadlinePlugin):
            def __init__(self):
                super().__init__()
                self.InitializeProcessCallback += self.InitializeProcess
                self.RenderExecutableCallback += self.RenderExecutable
                self.RenderArgumentCallback += self.RenderArgument

            def Cleanup(self):
                for handler in self.StdoutHandlers:
                    del handler.HandleCallback
                del self.InitializeProcessCallback
                del self.RenderExecutableCallback
                del self.RenderArgumentCallback

            def InitializeProcess(self):
                self.PluginType = PluginType.Simple
                self.SingleFramesOnly = False
                self.StdoutHandling = True
                self.AddStdoutHandlerCallback(PROGRESS_PATTERN).HandleCallback += self.HandleProgress
                self.AddStdoutHandlerCallback(ERROR_PATTERN).HandleCallback += self.HandleError

            def RenderExecutable(self):
                candidates = self.GetConfigEntry("DflcExecutable")
                executable = FileUtils.SearchFileList(candidates)
                if executable == "":
                    self.FailRender("dflc was not found at any of: %s (set Dflc's executable in the plugin configuration)" % candidates)
                return executable

            def RenderArgument(self):
                info = lambda key: self.GetPluginInfoEntryWithDefault(key, "")
                return build_arguments(info, self.GetStartFrame(), self.GetEndFrame())

            def HandleProgress(self):
                self.SetProgress(float(self.GetRegexMatch(1)))
                self.SetStatusMessage(self.GetRegexMatch(2))

            def HandleError(self):
                self.FailRender(self.GetRegexMatch(1))
        """";

    public const string Param = """
        [DflcExecutable]
        Type=multilinemultifilename
        Category=Executables
        CategoryOrder=0
        Index=0
        Label=dflc Executable
        Default=/opt/dflcomposite/dflc;C:\Program Files\DFLComposite\dflc.exe
        Description=Where dflc is on the workers; the first that exists is used.

        [ConcurrentTasks]
        Type=integer
        Category=Rendering
        CategoryOrder=1
        Index=0
        Label=Concurrent Tasks
        Minimum=1
        Maximum=16
        Default=1
        Description=dflc tasks one worker runs at once (each uses the cores it is given).
        """;
}
