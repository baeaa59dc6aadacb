using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace NotebookStyle.Cli;

/// <summary>
/// Parsers for numeric options that say what is expected in words ("a finite number ≥ 0", "a positive integer")
/// instead of a .NET type name, and refuse NaN and infinities. Each returns the option, so that its declaration carries
/// its check.
/// </summary>
internal static class OptionParsers
{
    /// <summary>A finite number within the bounds; <paramref name="expected"/> describes them ("a finite number ≥ 0").</summary>
    public static Option<double?> Number(Option<double?> option, Func<double, bool> ok, string expected) =>
        Parser(option, r => ParseNumber(r, option.Name, ok, expected));

    /// <summary>Like <see cref="Number(Option{double?}, Func{double, bool}, string)"/> for an option with a default.</summary>
    public static Option<double> Number(Option<double> option, Func<double, bool> ok, string expected) =>
        Parser(option, r => ParseNumber(r, option.Name, ok, expected) ?? 0);

    /// <summary>An integer within the bounds; <paramref name="expected"/> describes them ("a positive integer").</summary>
    public static Option<int?> Integer(Option<int?> option, Func<long, bool> ok, string expected) =>
        Parser(option, r => ParseInteger(r, option.Name, ok, expected));

    /// <summary>Like <see cref="Integer(Option{int?}, Func{long, bool}, string)"/> for an option with a default.</summary>
    public static Option<int> Integer(Option<int> option, Func<long, bool> ok, string expected) =>
        Parser(option, r => ParseInteger(r, option.Name, ok, expected) ?? 0);

    /// <summary>Any 64-bit integer (seeds).</summary>
    public static Option<long> Long(Option<long> option) =>
        Parser(option, r => ParseLong(r, option.Name) ?? 0);

    /// <summary>Like <see cref="Long(Option{long})"/> for an option without a default.</summary>
    public static Option<long?> Long(Option<long?> option) =>
        Parser(option, r => ParseLong(r, option.Name));

    /// <summary>A path that must not be empty or blank (an empty path would name the current folder or nothing).</summary>
    public static Option<string> RequiredPath(Option<string> option) =>
        Parser(option, r => ParsePath(r, option.Name) ?? "");

    /// <summary>Like <see cref="RequiredPath(Option{string})"/> for an option without a default.</summary>
    public static Option<string?> Path(Option<string?> option) =>
        Parser(option, r => ParsePath(r, option.Name));

    /// <summary>Like <see cref="RequiredPath(Option{string})"/> for a repeatable option.</summary>
    public static void Paths(Option<string[]> option) => option.CustomParser = r =>
    {
        var paths = new List<string>();
        foreach (var token in r.Tokens)
        {
            if (string.IsNullOrWhiteSpace(token.Value))
            {
                r.AddError($"{option.Name} is empty; give a file name.");
                return [];
            }
            paths.Add(token.Value);
        }
        return [.. paths];
    };

    /// <summary>Like <see cref="RequiredPath(Option{string})"/> for an argument.</summary>
    public static void Path(Argument<string> argument, string name, string what) => argument.CustomParser = r => ParsePath(r, name, what) ?? "";

    // The option with its parser, so that a declaration can carry its check.
    private static Option<T> Parser<T>(Option<T> option, Func<ArgumentResult, T?> parser)
    {
        option.CustomParser = parser;
        return option;
    }

    private static string? ParsePath(ArgumentResult r, string name, string what = "a file name")
    {
        if (r.Tokens.Count != 1) return null;
        string text = r.Tokens[0].Value;
        if (!string.IsNullOrWhiteSpace(text)) return text;
        r.AddError($"{name} is empty; give {what}.");
        return null;
    }

    private static double? ParseNumber(ArgumentResult r, string name, Func<double, bool> ok, string expected)
    {
        if (Token(r) is not string text) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            r.AddError($"{name} must be {expected}, got '{text}' (not a finite number).");
            return null;
        }
        if (ok(value)) return value;
        r.AddError($"{name} must be {expected}, got {text}.");
        return null;
    }

    private static int? ParseInteger(ArgumentResult r, string name, Func<long, bool> ok, string expected)
    {
        if (Token(r) is not string text) return null;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) || !ok(value) || value is > int.MaxValue or < int.MinValue)
        {
            r.AddError($"{name} must be {expected}, got '{text}'.");
            return null;
        }
        return (int)value;
    }

    private static long? ParseLong(ArgumentResult r, string name)
    {
        if (Token(r) is not string text) return null;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)) return value;
        r.AddError($"{name} must be a whole number between {long.MinValue} and {long.MaxValue}, got '{text}'.");
        return null;
    }

    private static string? Token(ArgumentResult r) => r.Tokens.Count == 1 ? r.Tokens[0].Value.Trim() : null;
}
