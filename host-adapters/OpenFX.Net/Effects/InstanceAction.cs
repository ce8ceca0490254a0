namespace OpenFX.Net;

/// <summary>Reads an instance action's arguments, calls the <see cref="ImageEffect"/> method, writes the answer.</summary>
internal static unsafe class InstanceAction
{
    public static int Run(ImageEffect effect, byte* action, nint inArgs, nint outArgs)
    {
        PropertySuite p = effect.Host.Property;
        if (CString.Equals(action, "OfxImageEffectActionRender"u8))
        {
            if (inArgs == 0)
            {
                return OfxStatus.ErrBadHandle;
            }

            effect.Render(ReadRender(p, inArgs));
            return OfxStatus.OK;
        }

        if (CString.Equals(action, "OfxImageEffectActionGetRegionOfDefinition"u8))
        {
            if (inArgs == 0 || outArgs == 0)
            {
                return OfxStatus.ErrBadHandle;
            }

            var args = new RegionOfDefinitionArguments(p.GetDouble(inArgs, OfxProps.Time), ReadScale(p, inArgs));
            if (!effect.GetRegionOfDefinition(args, out OfxRectD rod))
            {
                return OfxStatus.ReplyDefault;
            }

            p.SetDoubles(outArgs, OfxImageEffectProps.RegionOfDefinition, rod.X1, rod.Y1, rod.X2, rod.Y2);
            return OfxStatus.OK;
        }

        if (CString.Equals(action, "OfxImageEffectActionGetClipPreferences"u8))
        {
            return outArgs == 0 ? OfxStatus.ErrBadHandle
                : effect.GetClipPreferences(new ClipPreferences(p, outArgs)) ? OfxStatus.OK : OfxStatus.ReplyDefault;
        }

        if (CString.Equals(action, "OfxImageEffectActionIsIdentity"u8))
        {
            if (inArgs == 0 || outArgs == 0)
            {
                return OfxStatus.ErrBadHandle;
            }

            if (!effect.IsIdentity(ReadRender(p, inArgs), out string clip, out double time))
            {
                return OfxStatus.ReplyDefault;
            }

            p.SetString(outArgs, OfxProps.Name, clip);
            p.SetDouble(outArgs, OfxProps.Time, time);
            return OfxStatus.OK;
        }

        if (CString.Equals(action, "OfxImageEffectActionBeginSequenceRender"u8) || CString.Equals(action, "OfxImageEffectActionEndSequenceRender"u8))
        {
            if (inArgs == 0)
            {
                return OfxStatus.ErrBadHandle;
            }

            SequenceArguments args = ReadSequence(p, inArgs);
            if (CString.Equals(action, "OfxImageEffectActionBeginSequenceRender"u8))
            {
                effect.BeginSequenceRender(args);
            }
            else
            {
                effect.EndSequenceRender(args);
            }

            return OfxStatus.OK;
        }

        if (CString.Equals(action, "OfxActionInstanceChanged"u8))
        {
            if (inArgs == 0)
            {
                return OfxStatus.ErrBadHandle;
            }

            effect.InstanceChanged(new InstanceChangedArguments(
                p.GetString(inArgs, OfxProps.Type), p.GetString(inArgs, OfxProps.Name), String(p, inArgs, OfxProps.ChangeReason, OfxProps.ChangeUserEdited),
                p.TryGetDouble(inArgs, OfxProps.Time, out double t) ? t : 0, ReadScale(p, inArgs)));
            return OfxStatus.OK;
        }

        if (CString.Equals(action, "OfxActionBeginInstanceChanged"u8))
        {
            effect.BeginInstanceChanged(inArgs == 0 ? "" : String(p, inArgs, OfxProps.ChangeReason, ""));
            return OfxStatus.OK;
        }

        if (CString.Equals(action, "OfxActionEndInstanceChanged"u8))
        {
            effect.EndInstanceChanged(inArgs == 0 ? "" : String(p, inArgs, OfxProps.ChangeReason, ""));
            return OfxStatus.OK;
        }

        if (CString.Equals(action, "OfxActionPurgeCaches"u8))
        {
            effect.PurgeCaches();
            return OfxStatus.OK;
        }

        if (CString.Equals(action, "OfxActionSyncPrivateData"u8))
        {
            effect.SyncPrivateData();
            return OfxStatus.OK;
        }

        if (CString.Equals(action, "OfxActionDestroyInstance"u8))
        {
            return ActionDispatcher.Destroy(effect);
        }

        // Regions of interest, frames needed, time domain, instance edits, interacts ...: the host's defaults.
        return OfxStatus.ReplyDefault;
    }

    private static RenderArguments ReadRender(PropertySuite p, nint inArgs)
    {
        Span<int> w = stackalloc int[4];
        if (!p.TryGetInts(inArgs, OfxImageEffectProps.RenderWindow, w))
        {
            throw new OfxException(OfxStatus.ErrValue, "render without kOfxImageEffectPropRenderWindow");
        }

        return new RenderArguments(
            p.GetDouble(inArgs, OfxProps.Time),
            String(p, inArgs, OfxImageEffectProps.FieldToRender, OfxImageEffectValues.FieldNone),
            new OfxRectI(w[0], w[1], w[2], w[3]),
            ReadScale(p, inArgs),
            Flag(p, inArgs, OfxImageEffectProps.SequentialRenderStatus),
            Flag(p, inArgs, OfxImageEffectProps.InteractiveRenderStatus),
            Flag(p, inArgs, OfxImageEffectProps.RenderQualityDraft));
    }

    private static SequenceArguments ReadSequence(PropertySuite p, nint inArgs)
    {
        Span<double> r = stackalloc double[2];
        OfxRangeD range = p.TryGetDoubles(inArgs, OfxImageEffectProps.FrameRange, r) ? new OfxRangeD { Min = r[0], Max = r[1] } : default;
        return new SequenceArguments(
            range,
            p.TryGetDouble(inArgs, OfxImageEffectProps.FrameStep, out double step) ? step : 1,
            Flag(p, inArgs, OfxProps.IsInteractive),
            ReadScale(p, inArgs),
            Flag(p, inArgs, OfxImageEffectProps.SequentialRenderStatus),
            Flag(p, inArgs, OfxImageEffectProps.InteractiveRenderStatus),
            Flag(p, inArgs, OfxImageEffectProps.RenderQualityDraft));
    }

    private static OfxPointD ReadScale(PropertySuite p, nint args)
    {
        Span<double> s = stackalloc double[2];
        return p.TryGetDoubles(args, OfxImageEffectProps.RenderScale, s) && s[0] > 0 && s[1] > 0
            ? new OfxPointD { X = s[0], Y = s[1] }
            : new OfxPointD { X = 1, Y = 1 };
    }

    private static bool Flag(PropertySuite p, nint args, string name) => p.TryGetInt(args, name, out int v) && v != 0;

    private static string String(PropertySuite p, nint args, string name, string fallback) =>
        p.TryGetString(args, name, out string? v) && v is not null ? v : fallback;
}
