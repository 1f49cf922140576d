// MSBuild task compiled by RoslynCodeTaskFactory (see Mta.Models.targets); not part of the Mta.Models assembly.
//
// Why: TorchSharp 0.107.0's libLibTorchSharp.so lists GLIBCXX_3.4.32 among its ELF version needs, only for
// GCC 13's unused `std::ios_base_library_init` marker. Debian 12's libstdc++ stops at GLIBCXX_3.4.30, so the
// dynamic loader refuses the library and the first TorchSharp call throws DllNotFoundException. Marking that
// one version need weak (VER_FLG_WEAK) lets the loader accept the library; nothing calls the marker.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenGlibcxxVersionNeed : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>Copies of libLibTorchSharp.so in build or publish output folders (never the NuGet cache).</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The version need to weaken.</summary>
    public string VersionName { get; set; } = "GLIBCXX_3.4.32";

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            string path = item.ItemSpec;
            if (!File.Exists(path))
                continue;
            try
            {
                byte[] elf = File.ReadAllBytes(path);
                switch (Weaken(elf, VersionName))
                {
                    case Outcome.Weakened:
                        File.WriteAllBytes(path, elf);
                        Log.LogMessage(MessageImportance.Normal, $"Mta.Models: marked the {VersionName} version need of {path} weak so it loads on this system's libstdc++.");
                        break;
                    case Outcome.AlreadyWeak:
                    case Outcome.NotNeeded:
                        break;
                }
            }
            catch (InvalidDataException e)
            {
                Log.LogError($"Mta.Models: cannot patch {path}: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    private enum Outcome { Weakened, AlreadyWeak, NotNeeded }

    /// <summary>Sets VER_FLG_WEAK on the Vernaux entry named <paramref name="version"/>, in place.</summary>
    private static Outcome Weaken(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a 64-bit little-endian ELF file");

        ulong sectionTable = U64(elf, 0x28);
        int sectionSize = U16(elf, 0x3A);
        int sectionCount = U16(elf, 0x3C);
        for (int s = 0; s < sectionCount; s++)
        {
            long header = checked((long)sectionTable + (long)s * sectionSize);
            Check(elf, header, 64);
            if (U32(elf, header + 4) != ShtGnuVerneed)
                continue;
            long offset = (long)U64(elf, header + 0x18);
            uint stringSection = U32(elf, header + 0x28);
            uint entries = U32(elf, header + 0x2C);
            long stringHeader = checked((long)sectionTable + (long)stringSection * sectionSize);
            Check(elf, stringHeader, 64);
            long strings = (long)U64(elf, stringHeader + 0x18);

            long need = offset;
            for (uint n = 0; n < entries; n++)
            {
                Check(elf, need, 16);
                int auxCount = U16(elf, need + 2);
                long aux = need + U32(elf, need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    Check(elf, aux, 16);
                    if (ReadString(elf, strings + U32(elf, aux + 8)) == version)
                    {
                        ushort flags = (ushort)U16(elf, aux + 4);
                        if ((flags & VerFlgWeak) != 0)
                            return Outcome.AlreadyWeak;
                        flags |= VerFlgWeak;
                        elf[aux + 4] = (byte)flags;
                        elf[aux + 5] = (byte)(flags >> 8);
                        return Outcome.Weakened;
                    }
                    uint nextAux = U32(elf, aux + 12);
                    if (nextAux == 0)
                        break;
                    aux += nextAux;
                }
                uint next = U32(elf, need + 12);
                if (next == 0)
                    break;
                need += next;
            }
        }
        return Outcome.NotNeeded;
    }

    private static void Check(byte[] elf, long offset, int length)
    {
        if (offset < 0 || offset + length > elf.Length)
            throw new InvalidDataException($"a structure at offset {offset} runs past the end of the file");
    }

    private static int U16(byte[] b, long o) { Check(b, o, 2); return b[o] | b[o + 1] << 8; }

    private static uint U32(byte[] b, long o) { Check(b, o, 4); return BitConverter.ToUInt32(b, (int)o); }

    private static ulong U64(byte[] b, long o) { Check(b, o, 8); return BitConverter.ToUInt64(b, (int)o); }

    private static string ReadString(byte[] b, long o)
    {
        long end = o;
        while (end < b.Length && b[end] != 0)
            end++;
        Check(b, o, (int)(end - o));
        return Encoding.ASCII.GetString(b, (int)o, (int)(end - o));
    }
}
