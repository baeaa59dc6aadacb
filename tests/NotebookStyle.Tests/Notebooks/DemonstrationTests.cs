using NotebookStyle.Notebooks;

namespace NotebookStyle.Tests.Notebooks;

public class DemonstrationTests
{
    [Fact]
    public void AFallBigEnoughPrintsOneTickedLine()
    {
        var lines = new List<string>();
        string line = Demonstration.Falls("SSIM falls as the style weight grows", [("x1", 0.69), ("x100", 0.52), ("x1e4", 0.31)], 0.2, lines.Add);
        Assert.Equal("✔ SSIM falls as the style weight grows: x1 0.69 → x100 0.52 → x1e4 0.31 (fall 0.38, at least 0.20 expected)", line);
        Assert.Equal([line], lines);
    }

    [Fact]
    public void AFallTooSmallFailsWithOneLineNamingTheClaimAndTheFigures()
    {
        var lines = new List<string>();
        var ex = Assert.Throws<DemonstrationFailedException>(() =>
            Demonstration.Falls("SSIM falls as the style weight grows", [("x1", 0.69), ("x100", 0.67), ("x1e4", 0.66)], 0.2, lines.Add));
        Assert.Equal("✘ SSIM falls as the style weight grows: x1 0.69 → x100 0.67 → x1e4 0.66: expected a fall of at least 0.20 and no step against it, got only 0.03.", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Empty(lines);
        Assert.IsAssignableFrom<NotebookStyleException>(ex);
    }

    [Fact]
    public void AStepAgainstTheDirectionFailsEvenWhenTheWholeChangeIsLarge()
    {
        // The sweep: ×100 above ×1 is a step against the predicted fall.
        var ex = Assert.Throws<DemonstrationFailedException>(() =>
            Demonstration.Falls("SSIM falls", [("x1", 0.69), ("x100", 0.72), ("x1e4", 0.10)], 0.2, _ => { }));
        Assert.Contains("x1 → x100 went the other way", ex.Message);
    }

    [Fact]
    public void TheOppositeDirectionIsNamedAsSuch()
    {
        var ex = Assert.Throws<DemonstrationFailedException>(() => Demonstration.Falls("deep layers keep the photo's colours", 0.30, 0.50, 0.1, _ => { }));
        Assert.Equal("✘ deep layers keep the photo's colours: 0.30 → 0.50: expected a fall of at least 0.10, got the opposite, 0.20.", ex.Message);
    }

    [Fact]
    public void RisesIsTheMirrorOfFalls()
    {
        Assert.Equal("✔ ratio rises: 0.20 → 0.90 (rise 0.70, at least 0.30 expected)", Demonstration.Rises("ratio rises", 0.2, 0.9, 0.3, _ => { }));
        Assert.Throws<DemonstrationFailedException>(() => Demonstration.Rises("ratio rises", 0.9, 0.2, 0.3, _ => { }));
        Assert.Throws<DemonstrationFailedException>(() => Demonstration.Rises("ratio rises", 0.2, 0.4, 0.3, _ => { }));
    }

    [Fact]
    public void SmallFiguresKeepTheirDigits()
    {
        Assert.Contains("0.0031 → 0.0012", Demonstration.Falls("gap falls", 0.0031, 0.0012, 0.001, _ => { }));
    }

    [Fact]
    public void CountsPrintAsWholeNumbers()
    {
        Assert.Equal("✔ maps shrink: relu1 17120 → layer4 70 (fall 17050, at least 1000 expected)",
            Demonstration.Falls("maps shrink", [("relu1", 17120), ("layer4", 70)], 1000, _ => { }));
        // One figure with a fraction, or a fractional threshold: every number keeps its decimals.
        Assert.Equal("✔ loss rises: 1.00 → 1556.54 (rise 1555.54, at least 0.10 expected)", Demonstration.Rises("loss rises", 1, 1556.54, 0.1, _ => { }));
        Assert.Contains("1.00 → 70.00", Demonstration.Rises("counts", 1, 70, 0.5, _ => { }));
    }

    [Theory]
    [InlineData(double.NaN, 0.5, 0.1)]
    [InlineData(0.5, double.PositiveInfinity, 0.1)]
    [InlineData(0.9, 0.5, 0)]
    [InlineData(0.9, 0.5, -0.1)]
    public void NonsenseInputIsRefused(double before, double after, double by)
    {
        Assert.Throws<ArgumentException>(() => Demonstration.Falls("claim", before, after, by, _ => { }));
    }

    [Fact]
    public void OneFigureIsNotADemonstration()
    {
        Assert.Throws<ArgumentException>(() => Demonstration.Falls("claim", [("only", 0.5)], 0.1, _ => { }));
    }
}
