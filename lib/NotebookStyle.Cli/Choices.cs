using System.CommandLine;

namespace NotebookStyle.Cli;

/// <summary>An option whose value is one of a fixed set of words, each standing for a value of a library type.</summary>
internal interface IChoiceOption
{
    /// <summary>The option's name, e.g. <c>--optimizer</c>.</summary>
    string Name { get; }

    /// <summary>The type the words stand for (an enum, a nullable enum, or a library record such as <c>Preprocessing</c>).</summary>
    Type ChoiceType { get; }

    /// <summary>Each word and the value it stands for, in the order the error message lists them.</summary>
    IReadOnlyList<(string Word, object? Value)> Words { get; }

    /// <summary>The word of the default value, or null for an option without a default.</summary>
    string? DefaultWord { get; }
}

/// <summary>
/// The words an option accepts for the values of a library type, in one table: the option turns a word into its value
/// as it is parsed (the one place an option's text is read), <c>--help</c> lists the words, and an unknown word is
/// refused with the words there are. Past parsing, only the library's values travel.
/// </summary>
/// <typeparam name="T">The library type (an enum, a nullable enum for an option without a default, or a record).</typeparam>
internal sealed class Choices<T>
{
    private readonly (string Word, T Value)[] _words;

    /// <summary>A table of <paramref name="words"/>, each a distinct word for a distinct value.</summary>
    public Choices(params (string Word, T Value)[] words)
    {
        if (words.Length == 0 || words.DistinctBy(w => w.Word).Count() != words.Length || words.DistinctBy(w => w.Value).Count() != words.Length)
            throw new ArgumentException("Choices need distinct words for distinct values.", nameof(words));
        _words = words;
    }

    /// <summary>Each word and its value, in the order given.</summary>
    public IReadOnlyList<(string Word, T Value)> Words => _words;

    /// <summary>The word for <paramref name="value"/> (how metrics and messages spell it).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value the table has no word for.</exception>
    public string WordFor(T value) => _words.FirstOrDefault(w => EqualityComparer<T>.Default.Equals(w.Value, value)).Word
        ?? throw new ArgumentOutOfRangeException(nameof(value), value, $"No word for {value}.");

    /// <summary>The value of <paramref name="word"/> (exactly as listed, case included), or false.</summary>
    public bool TryParse(string word, out T value)
    {
        foreach (var (w, v) in _words)
            if (string.Equals(w, word, StringComparison.Ordinal))
            {
                value = v;
                return true;
            }
        value = default!;
        return false;
    }

    /// <summary>The message for a word the table lacks.</summary>
    public string Unknown(string word) => $"Argument '{word}' not recognized. Must be one of: {string.Join(" ", _words.Select(w => $"'{w.Word}'"))}";

    /// <summary>An option taking one of the words; without it, the value is <paramref name="default"/>.</summary>
    public Option<Chosen<T>> Option(string name, string description, T @default) => Create(name, description, Chose(@default));

    /// <summary>An option taking one of the words; without it, the value is <c>default(T)</c> (null for a nullable type).</summary>
    public Option<Chosen<T>> Option(string name, string description) => Create(name, description, null);

    private Chosen<T> Chose(T value) => new(WordFor(value), value);

    private ChoiceOption Create(string name, string description, Chosen<T>? @default)
    {
        var option = new ChoiceOption(name, this, @default?.Word) { Description = description };
        // --help shows the default as the word (Chosen's text), as the user would type it.
        if (@default is { } given) option.DefaultValueFactory = _ => given;
        option.HelpName = string.Join("|", _words.Select(w => w.Word).Order(StringComparer.Ordinal));
        option.CompletionSources.Clear();
        option.CompletionSources.Add(_words.Select(w => w.Word).ToArray());
        option.CustomParser = r =>
        {
            if (r.Tokens.Count != 1) return @default ?? default;
            string word = r.Tokens[0].Value;
            if (TryParse(word, out var value)) return new(word, value);
            r.AddError(Unknown(word));
            return @default ?? default;
        };
        return option;
    }

    /// <summary>The option, knowing its words (for tests and for anything that lists the choices).</summary>
    private sealed class ChoiceOption(string name, Choices<T> choices, string? defaultWord) : Option<Chosen<T>>(name), IChoiceOption
    {
        public Type ChoiceType => typeof(T);

        public IReadOnlyList<(string Word, object? Value)> Words => [.. choices._words.Select(w => (w.Word, (object?)w.Value))];

        public string? DefaultWord => defaultWord;
    }
}

/// <summary>
/// A choice option's value: the library value and the word that chose it. It converts to the value implicitly, so
/// <c>Optimizer = parse.GetValue(options.Optimizer)</c> reads as the library type; its text is the word (what
/// <c>--help</c> shows as the default). Without the option and without a default: no word, <c>default(T)</c>.
/// </summary>
/// <param name="Word">The word as typed (null: not given and no default).</param>
/// <param name="Value">The library value.</param>
internal readonly record struct Chosen<T>(string? Word, T Value)
{
    /// <summary>The library value.</summary>
    public static implicit operator T(Chosen<T> chosen) => chosen.Value;

    /// <inheritdoc />
    public override string ToString() => Word ?? "";
}

/// <summary>Tables of <see cref="Choices{T}"/> for enums.</summary>
internal static class Choices
{
    /// <summary>Every value of <typeparamref name="T"/>, spelled as its name in lower case unless <paramref name="renamed"/> says otherwise.</summary>
    public static Choices<T> Of<T>(params (T Value, string Word)[] renamed) where T : struct, Enum =>
        new([.. Enum.GetValues<T>().Select(v => (renamed.FirstOrDefault(r => r.Value.Equals(v)).Word ?? v.ToString().ToLowerInvariant(), v))]);

    /// <summary>The same words for the nullable type: an option without a default (null: not given).</summary>
    public static Choices<T?> OrNull<T>(this Choices<T> choices) where T : struct => new([.. choices.Words.Select(w => (w.Word, (T?)w.Value))]);

    /// <summary>Every option of <paramref name="command"/> and of its subcommands.</summary>
    public static IEnumerable<Option> Options(Command command) => command.Options.Concat(command.Subcommands.SelectMany(Options));
}
