using System.Text;

namespace NotebookStyle.Backend;

/// <summary>One symbol version an ELF file needs from a shared library (an entry of <c>.gnu.version_r</c>).</summary>
/// <param name="Library">The file it is needed from, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Version">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Weak">Whether the need is weak (VER_FLG_WEAK): the loader then tolerates its absence.</param>
/// <param name="Index">The version index that <c>.gnu.version</c> uses for symbols bound to this version.</param>
/// <param name="FlagsOffset">File offset of the entry's <c>vna_flags</c> field.</param>
/// <param name="Symbols">The dynamic symbols bound to this version.</param>
public sealed record ElfVersionNeed(string Library, string Version, bool Weak, ushort Index, long FlagsOffset, IReadOnlyList<string> Symbols);

/// <summary>
/// A minimal reader of the symbol-versioning sections of a 64-bit little-endian ELF file
/// (<c>.gnu.version_d</c>, <c>.gnu.version_r</c>, <c>.gnu.version</c>, <c>.dynsym</c>), enough to tell which
/// versions a library defines and needs, and which symbols need each version.
/// </summary>
public sealed class ElfVersionInfo
{
    /// <summary>The VER_FLG_WEAK bit of <c>vna_flags</c>.</summary>
    public const ushort VerFlagWeak = 0x2;

    private const uint ShtDynsym = 11;
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;

    /// <summary>The file that was read.</summary>
    public string Path { get; }

    /// <summary>Versions this file defines (<c>.gnu.version_d</c>), e.g. <c>GLIBCXX_3.4.30</c> for libstdc++.</summary>
    public IReadOnlyList<string> Defined { get; }

    /// <summary>Versions this file needs from other libraries (<c>.gnu.version_r</c>).</summary>
    public IReadOnlyList<ElfVersionNeed> Needed { get; }

    private ElfVersionInfo(string path, IReadOnlyList<string> defined, IReadOnlyList<ElfVersionNeed> needed)
    {
        Path = path;
        Defined = defined;
        Needed = needed;
    }

    /// <summary>Reads the version sections of <paramref name="path"/>.</summary>
    /// <exception cref="NotebookStyleException">The file is not a 64-bit little-endian ELF file.</exception>
    public static ElfVersionInfo Read(string path)
    {
        byte[] b = File.ReadAllBytes(path);
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
            throw new NotebookStyleException($"{path} is not an ELF file.");
        if (b[4] != 2 || b[5] != 1)
            throw new NotebookStyleException($"{path} is not a 64-bit little-endian ELF file.");

        long shoff = (long)U64(b, 0x28);
        int shentsize = U16(b, 0x3A), shnum = U16(b, 0x3C);
        var sections = new (uint Type, long Offset, long Size, uint Link, uint Info, long EntSize)[shnum];
        for (int i = 0; i < shnum; i++)
        {
            long h = shoff + (long)i * shentsize;
            sections[i] = (U32(b, h + 4), (long)U64(b, h + 0x18), (long)U64(b, h + 0x20), U32(b, h + 0x28), U32(b, h + 0x2C), (long)U64(b, h + 0x38));
        }

        var defined = new List<string>();
        var needs = new List<(string Lib, string Ver, ushort Flags, ushort Index, long FlagsOffset)>();
        var symbolsByVersion = new Dictionary<ushort, List<string>>();

        foreach (var s in sections)
        {
            if (s.Type == ShtGnuVerdef)
            {
                long str = sections[s.Link].Offset, p = s.Offset;
                for (uint n = 0; n < s.Info; n++)
                {
                    ushort cnt = U16(b, p + 6);
                    uint aux = U32(b, p + 12), next = U32(b, p + 16);
                    if (cnt > 0) defined.Add(CString(b, str + U32(b, p + aux)));
                    if (next == 0) break;
                    p += next;
                }
            }
            else if (s.Type == ShtGnuVerneed)
            {
                long str = sections[s.Link].Offset, p = s.Offset;
                for (uint n = 0; n < s.Info; n++)
                {
                    ushort cnt = U16(b, p + 2);
                    string file = CString(b, str + U32(b, p + 4));
                    long a = p + U32(b, p + 8);
                    for (int k = 0; k < cnt; k++)
                    {
                        needs.Add((file, CString(b, str + U32(b, a + 8)), U16(b, a + 4), (ushort)(U16(b, a + 6) & 0x7fff), a + 4));
                        uint anext = U32(b, a + 12);
                        if (anext == 0) break;
                        a += anext;
                    }
                    uint next = U32(b, p + 12);
                    if (next == 0) break;
                    p += next;
                }
            }
        }

        int dynsym = Array.FindIndex(sections, s => s.Type == ShtDynsym);
        int versym = Array.FindIndex(sections, s => s.Type == ShtGnuVersym);
        if (dynsym >= 0 && versym >= 0)
        {
            var ds = sections[dynsym];
            long str = sections[ds.Link].Offset;
            long count = ds.EntSize == 0 ? 0 : ds.Size / ds.EntSize;
            for (long i = 0; i < count; i++)
            {
                ushort ver = (ushort)(U16(b, sections[versym].Offset + 2 * i) & 0x7fff);
                if (ver < 2) continue;
                string name = CString(b, str + U32(b, ds.Offset + i * ds.EntSize));
                if (!symbolsByVersion.TryGetValue(ver, out var list)) symbolsByVersion[ver] = list = [];
                list.Add(name);
            }
        }

        var needed = needs.Select(n => new ElfVersionNeed(n.Lib, n.Ver, (n.Flags & VerFlagWeak) != 0, n.Index, n.FlagsOffset,
            symbolsByVersion.TryGetValue(n.Index, out var syms) ? syms : [])).ToList();
        return new ElfVersionInfo(path, defined, needed);
    }

    private static ushort U16(byte[] b, long o) => BitConverter.ToUInt16(b, checked((int)o));
    private static uint U32(byte[] b, long o) => BitConverter.ToUInt32(b, checked((int)o));
    private static ulong U64(byte[] b, long o) => BitConverter.ToUInt64(b, checked((int)o));

    private static string CString(byte[] b, long o)
    {
        int start = checked((int)o), end = start;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, start, end - start);
    }
}
