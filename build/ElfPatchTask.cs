// MSBuild inline task (RoslynCodeTaskFactory). Kept in its own file so it can be read and diffed.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class DflcPatchElfVersionNeeds : Task
{
    [Required] public ITaskItem[] Files { get; set; }
    [Required] public string WeakVersions { get; set; }

    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    public override bool Execute()
    {
        var weak = new HashSet<string>(WeakVersions.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries));
        foreach (var item in Files)
        {
            string path = item.ItemSpec;
            try
            {
                byte[] elf = File.ReadAllBytes(path);
                int changed = Patch(elf, weak);
                if (changed < 0)
                {
                    Log.LogWarning("{0}: not a 64-bit little-endian ELF file, left as is", path);
                    continue;
                }
                if (changed == 0) continue; // already patched, or nothing to do
                // Write a new inode: the output copy may be a hard link into the NuGet cache.
                string tmp = path + ".dflc-patch.tmp";
                File.WriteAllBytes(tmp, elf);
                File.Delete(path); // unlink first: never write through a hard link
                File.Move(tmp, path);
                Log.LogMessage(MessageImportance.Normal, "Marked {0} GLIBCXX version need(s) weak in {1}", changed, path);
            }
            catch (Exception ex)
            {
                Log.LogError("Could not patch {0}: {1}", path, ex.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    // Returns the number of entries changed, or -1 when the file is not an ELF64 LE object.
    static int Patch(byte[] b, HashSet<string> weak)
    {
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F' || b[4] != 2 || b[5] != 1)
            return -1;
        long shoff = BitConverter.ToInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A);
        int shnum = BitConverter.ToUInt16(b, 0x3C);
        int changed = 0;
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            uint type = BitConverter.ToUInt32(b, (int)sh + 4);
            if (type != ShtGnuVerneed) continue;
            long off = BitConverter.ToInt64(b, (int)sh + 0x18);
            uint link = BitConverter.ToUInt32(b, (int)sh + 0x28);
            long strOff = BitConverter.ToInt64(b, (int)(shoff + (long)link * shentsize) + 0x18);
            long vn = off;
            while (true)
            {
                ushort cnt = BitConverter.ToUInt16(b, (int)vn + 2);
                uint aux = BitConverter.ToUInt32(b, (int)vn + 8);
                uint next = BitConverter.ToUInt32(b, (int)vn + 12);
                long va = vn + aux;
                for (int k = 0; k < cnt; k++)
                {
                    ushort flags = BitConverter.ToUInt16(b, (int)va + 4);
                    uint nameOff = BitConverter.ToUInt32(b, (int)va + 8);
                    string name = ReadCString(b, strOff + nameOff);
                    if (weak.Contains(name) && (flags & VerFlgWeak) == 0)
                    {
                        flags |= VerFlgWeak;
                        b[va + 4] = (byte)(flags & 0xff);
                        b[va + 5] = (byte)(flags >> 8);
                        changed++;
                    }
                    uint anext = BitConverter.ToUInt32(b, (int)va + 12);
                    if (anext == 0) break;
                    va += anext;
                }
                if (next == 0) break;
                vn += next;
            }
        }
        return changed;
    }

    static string ReadCString(byte[] b, long at)
    {
        int end = (int)at;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
    }
}
