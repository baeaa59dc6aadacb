namespace NotebookStyle.Tests;

public class NotebookStyleExceptionTests
{
    [Fact]
    public void ToStringIsTheNameAndTheMessageWithoutFrames()
    {
        NotebookStyleException caught;
        try { throw new NotebookStyle.Imaging.UnreadableImageException("too big: 30000 × 30000 pixels", new InvalidOperationException("inner")); }
        catch (NotebookStyleException e) { caught = e; }
        Assert.Equal("UnreadableImageException: too big: 30000 × 30000 pixels", caught.ToString());
        Assert.NotNull(caught.StackTrace); // still there for a debugger
    }
}
