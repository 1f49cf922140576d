// MSBuild task compiled at build time by RoslynCodeTaskFactory (see Mta.Models.targets); it is not part of the
// Mta.Models assembly. It is compiled against MSBuild's netstandard reference assemblies without nullable
// annotations, so it sticks to netstandard 2.0 APIs and plain reference types.
//
// Why it exists: TorchSharp 0.107.0's libLibTorchSharp.so lists GLIBCXX_3.4.32 among its ELF version needs on
// libstdc++.so.6, only because GCC 13 references the marker symbol `std::ios_base_library_init`, which nothing
// calls. Debian 12's libstdc++ stops at GLIBCXX_3.4.30, so the dynamic loader rejects the library and the first
// TorchSharp call throws DllNotFoundException. Setting VER_FLG_WEAK on that one version need makes a missing
// version acceptable to the loader (glibc's dl-version.c skips weak needs it cannot find), and the library loads.
//
// The task patches the given files (copies in build or publish output, never the NuGet cache) whatever the build
// machine's libstdc++: the output may run elsewhere (a package or tool packed on a newer distribution, a service
// image built on one and run on Debian 12). A weak need changes nothing where the version exists. It is idempotent:
// an already weak need is left alone and the file is not rewritten.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenGlibcxxVersionNeed : Task
{
    // ELF constants (see elf.h).
    private const uint ShtGnuVerneed = 0x6ffffffe; // SHT_GNU_verneed: the .gnu.version_r section
    private const ushort VerFlgWeak = 0x2;         // VER_FLG_WEAK in Elf64_Vernaux.vna_flags
    private const int Elf64HeaderSize = 64;
    private const int Elf64SectionHeaderSize = 64;
    private const int VerneedSize = 16;            // Elf64_Verneed and Elf64_Vernaux are both 16 bytes

    /// <summary>Copies of libLibTorchSharp.so in build or publish output folders (never the NuGet cache).</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The version need to mark weak.</summary>
    public string VersionName { get; set; } = "GLIBCXX_3.4.32";

    public override bool Execute()
    {
        var patched = new List<string>();

        foreach (var item in Files)
        {
            string path = item.GetMetadata("FullPath");
            if (!File.Exists(path))
                continue;
            try
            {
                byte[] elf = File.ReadAllBytes(path);
                long flagsOffset = FindVernauxFlags(elf, VersionName);
                if (flagsOffset < 0)
                    continue; // no such version need: nothing to do
                ushort flags = (ushort)(elf[flagsOffset] | elf[flagsOffset + 1] << 8);
                if ((flags & VerFlgWeak) != 0)
                    continue; // already patched (idempotent)

                flags |= VerFlgWeak;
                WritePatched(path, flagsOffset, flags);
                patched.Add(path);
            }
            catch (InvalidDataException e)
            {
                Log.LogError($"Mta.Models: cannot patch {path}: {e.Message}");
            }
            catch (OverflowException)
            {
                Log.LogError($"Mta.Models: cannot patch {path}: an ELF offset or size is out of range");
            }
            catch (IOException e)
            {
                Log.LogError($"Mta.Models: cannot patch {path}: {e.Message}");
            }
            catch (UnauthorizedAccessException e)
            {
                Log.LogError($"Mta.Models: cannot patch {path}: {e.Message}");
            }
        }

        if (patched.Count > 0)
        {
            Log.LogMessage(MessageImportance.Normal,
                $"Mta.Models: marked the {VersionName} version need weak (so that it loads with an older libstdc++ such as Debian 12's) in {string.Join(", ", patched)}");
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>
    /// Writes the new vna_flags into a copy next to the file, then renames the copy over it. The rename replaces
    /// the directory entry only, so a hard or symbolic link into the NuGet cache (CreateHardLinksForCopyLocalIfPossible
    /// and friends) is broken rather than written through. The copy keeps the file's mode and modification time,
    /// so the SDK's incremental copy (same size and time) leaves the patched file in place on the next build.
    /// </summary>
    private static void WritePatched(string path, long flagsOffset, ushort flags)
    {
        DateTime lastWrite = File.GetLastWriteTimeUtc(path);
        string temporary = path + ".mta-patching";
        File.Copy(path, temporary, true); // a regular file with the same content and permissions
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Open, FileAccess.Write, FileShare.None))
            {
                stream.Position = flagsOffset;
                stream.WriteByte((byte)flags);
                stream.WriteByte((byte)(flags >> 8));
            }
            File.SetLastWriteTimeUtc(temporary, lastWrite);
            File.Replace(temporary, path, null); // rename(2) on Unix
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    // ---- ELF64 little-endian parsing --------------------------------------------------------------------------

    /// <summary>The ELF class (1: 32-bit, 2: 64-bit) and byte order (1: little-endian).</summary>
    private struct ElfIdentity
    {
        public byte Class;
        public byte Data;
    }

    private static ElfIdentity ReadIdentity(byte[] elf)
    {
        if (elf.Length < 20 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        return new ElfIdentity { Class = elf[4], Data = elf[5] };
    }

    /// <summary>
    /// Returns the file offset of vna_flags in the Elf64_Vernaux entry named <paramref name="version"/>, or -1 when
    /// the file has no such version need. Every read is bounds-checked against the file and its section.
    /// </summary>
    private static long FindVernauxFlags(byte[] elf, string version)
    {
        ElfIdentity identity = ReadIdentity(elf);
        if (identity.Class != 2 || identity.Data != 1 || elf.Length < Elf64HeaderSize)
            throw new InvalidDataException("not a 64-bit little-endian ELF file");

        // Elf64_Ehdr: e_shoff at 0x28, e_shentsize at 0x3A, e_shnum at 0x3C.
        long sectionTable = checked((long)U64(elf, 0x28));
        int sectionSize = U16(elf, 0x3A);
        int sectionCount = U16(elf, 0x3C);
        if (sectionTable == 0 || sectionCount == 0)
            return -1; // no section headers (fully stripped): nothing we can find
        if (sectionSize < Elf64SectionHeaderSize)
            throw new InvalidDataException($"section header size {sectionSize} is smaller than an Elf64_Shdr");

        for (int s = 0; s < sectionCount; s++)
        {
            long header = checked(sectionTable + (long)s * sectionSize);
            Check(elf, header, Elf64SectionHeaderSize);
            if (U32(elf, header + 4) != ShtGnuVerneed) // sh_type
                continue;

            // Elf64_Shdr: sh_offset 0x18, sh_size 0x20, sh_link 0x28 (the string table), sh_info 0x2C (entry count).
            long start = checked((long)U64(elf, header + 0x18));
            long end = checked(start + (long)U64(elf, header + 0x20));
            Check(elf, start, end - start);
            uint stringSection = U32(elf, header + 0x28);
            uint needCount = U32(elf, header + 0x2C);
            if (stringSection >= sectionCount)
                throw new InvalidDataException($"version-need section links to missing section {stringSection}");
            long stringHeader = checked(sectionTable + (long)stringSection * sectionSize);
            Check(elf, stringHeader, Elf64SectionHeaderSize);
            long stringsStart = checked((long)U64(elf, stringHeader + 0x18));
            long stringsEnd = checked(stringsStart + (long)U64(elf, stringHeader + 0x20));
            Check(elf, stringsStart, stringsEnd - stringsStart);

            // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
            long need = start;
            for (uint n = 0; n < needCount; n++)
            {
                CheckWithin(need, VerneedSize, start, end, "Elf64_Verneed");
                int auxCount = U16(elf, need + 2);
                long aux = checked(need + U32(elf, need + 8));

                // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                for (int a = 0; a < auxCount; a++)
                {
                    CheckWithin(aux, VerneedSize, start, end, "Elf64_Vernaux");
                    long name = checked(stringsStart + U32(elf, aux + 8));
                    if (ReadString(elf, name, stringsEnd) == version)
                        return aux + 4;
                    uint nextAux = U32(elf, aux + 12);
                    if (nextAux == 0)
                        break;
                    aux = checked(aux + nextAux);
                }

                uint next = U32(elf, need + 12);
                if (next == 0)
                    break;
                need = checked(need + next);
            }
        }
        return -1;
    }

    private static void Check(byte[] elf, long offset, long length)
    {
        if (offset < 0 || length < 0 || offset > elf.Length - length)
            throw new InvalidDataException($"a structure at offset {offset} runs past the end of the file");
    }

    private static void CheckWithin(long offset, int length, long start, long end, string what)
    {
        if (offset < start || offset > end - length)
            throw new InvalidDataException($"an {what} at offset {offset} lies outside its section");
    }

    private static int U16(byte[] b, long o) { Check(b, o, 2); return b[o] | b[o + 1] << 8; }

    private static uint U32(byte[] b, long o) { Check(b, o, 4); return (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24); }

    private static ulong U64(byte[] b, long o) { Check(b, o, 8); return U32(b, o) | (ulong)U32(b, o + 4) << 32; }

    /// <summary>A NUL-terminated string that must end inside its string table.</summary>
    private static string ReadString(byte[] b, long offset, long tableEnd)
    {
        long end = offset;
        while (end < tableEnd && b[end] != 0)
            end++;
        if (offset < 0 || end >= tableEnd)
            throw new InvalidDataException($"a string at offset {offset} is not terminated inside its string table");
        return Encoding.ASCII.GetString(b, (int)offset, (int)(end - offset));
    }
}
