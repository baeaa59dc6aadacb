using NotebookStyle.Notebooks;

namespace NotebookStyle.Tests.Notebooks;

public class DemonstrationWithinTests
{
    [Fact]
    public void FiguresAboutZeroPassAndOneOutsideFailsNamingIt()
    {
        var lines = new List<string>();
        string line = Demonstration.Within("random filters are not smooth", [("a", 0.03), ("b", -0.05)], 0.1, lines.Add);
        Assert.StartsWith("✔ random filters are not smooth: a 0.03, b -0.05", line);
        Assert.Equal(line, Assert.Single(lines));
        var ex = Assert.Throws<DemonstrationFailedException>(() => Demonstration.Within("random filters are not smooth", [("a", 0.03), ("b", 0.45)], 0.1, lines.Add));
        Assert.Contains("but b is 0.45", ex.Message);
        Assert.StartsWith("✘", ex.Message);
        Assert.Throws<ArgumentException>(() => Demonstration.Within("x", [("a", double.NaN)], 0.1, lines.Add));
        Assert.Throws<ArgumentException>(() => Demonstration.Within("x", [("a", 0.0)], 0, lines.Add));
    }
}
