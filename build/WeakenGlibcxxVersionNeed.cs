// MSBuild inline task (see LibTorchSharp.Glibcxx.targets). Plain ELF64 little-endian parsing, no dependencies.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenGlibcxxVersionNeed : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    private static readonly string[] SystemLibstdcxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
    };

    [Required] public string Library { get; set; } = "";
    [Required] public string VersionName { get; set; } = "";
    [Output] public bool Patched { get; set; }

    public override bool Execute()
    {
        if (SystemProvides(VersionName))
        {
            Log.LogMessage(MessageImportance.Low, "System libstdc++ provides {0}; {1} left as is.", VersionName, Library);
            return true;
        }

        byte[] elf = File.ReadAllBytes(Library);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F'
            || elf[4] != 2 || elf[5] != 1)
        {
            Log.LogError("{0} is not a little-endian ELF64 file.", Library);
            return false;
        }

        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed) continue;

            long offset = BitConverter.ToInt64(elf, (int)sh + 0x18);
            uint link = BitConverter.ToUInt32(elf, (int)sh + 0x28);
            uint count = BitConverter.ToUInt32(elf, (int)sh + 0x2C);
            long strtab = BitConverter.ToInt64(elf, (int)(shoff + link * shentsize) + 0x18);
            return PatchVerneed(elf, offset, count, strtab);
        }

        Log.LogMessage(MessageImportance.Low, "{0} has no version needs; nothing to patch.", Library);
        return true;
    }

    private bool PatchVerneed(byte[] elf, long verneed, uint count, long strtab)
    {
        long entry = verneed;
        for (uint n = 0; n < count; n++)
        {
            int auxCount = BitConverter.ToUInt16(elf, (int)entry + 2);
            long aux = entry + BitConverter.ToUInt32(elf, (int)entry + 8);
            for (int a = 0; a < auxCount; a++)
            {
                string name = ReadCString(elf, strtab + BitConverter.ToUInt32(elf, (int)aux + 8));
                if (name == VersionName)
                {
                    ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                    if ((flags & VerFlgWeak) != 0)
                    {
                        Log.LogMessage(MessageImportance.Low, "{0}: {1} is already weak.", Library, VersionName);
                        return true;
                    }
                    BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, (int)aux + 4);
                    File.WriteAllBytes(Library, elf);
                    Patched = true;
                    Log.LogMessage(MessageImportance.High, "Marked {0} weak in {1} (system libstdc++ lacks it).", VersionName, Library);
                    return true;
                }
                aux += BitConverter.ToUInt32(elf, (int)aux + 12);
            }
            entry += BitConverter.ToUInt32(elf, (int)entry + 12);
        }
        Log.LogMessage(MessageImportance.Low, "{0} does not need {1}; nothing to patch.", Library, VersionName);
        return true;
    }

    // A version a library defines appears as a NUL-terminated name in its dynamic string table.
    private static bool SystemProvides(string version)
    {
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (string path in SystemLibstdcxxCandidates)
        {
            if (!File.Exists(path)) continue;
            byte[] lib = File.ReadAllBytes(path);
            return IndexOf(lib, needle) >= 0;
        }
        return false;
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    private static string ReadCString(byte[] data, long offset)
    {
        int end = (int)offset;
        while (end < data.Length && data[end] != 0) end++;
        return Encoding.ASCII.GetString(data, (int)offset, end - (int)offset);
    }
}
