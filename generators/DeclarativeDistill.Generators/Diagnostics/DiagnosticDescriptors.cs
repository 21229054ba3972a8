using Microsoft.CodeAnalysis;

namespace DeclarativeDistill.Generators.Diagnostics;

/// <summary>
/// Every diagnostic of DeclarativeDistill. IDs are stable: DD00xx are errors in a declaration, DD1xxx
/// warnings about legal but suspicious ones. Each is listed in AnalyzerReleases.*.md and, with an example
/// and its fix, in the repository's docs/diagnostics.md; the description says what the rule wants.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Declaration = "DeclarativeDistill.Declaration";
    private const string Distillation = "DeclarativeDistill.Distillation";

    /// <summary>DD0001: an item of <c>Layers</c> is not a layer of the grammar, or has wrong arguments. {0} position, {1} what is wrong.</summary>
    public static readonly DiagnosticDescriptor MalformedLayers = Error(
        DiagnosticIds.MalformedLayers, Declaration, "Malformed layer list",
        "Layers is malformed at position {0}: {1}",
        "Layers is a comma-separated list of items, the input first (784 or 1x28x28) and the number of classes last: " + Layers.LayerKinds.KnownItemsDescription + ".");

    /// <summary>DD0002: fewer than two sizes. {0} the list, {1} how many sizes.</summary>
    public static readonly DiagnosticDescriptor TooFewLayers = Error(
        DiagnosticIds.TooFewLayers, Declaration, "Too few layers",
        "Layers \"{0}\" lists {1} size(s); a network needs at least an input and an output size",
        "A network maps inputs to classes, so Layers needs at least two sizes: the input width and the number of classes.");

    /// <summary>DD0003: the parameter count overflows. {0} the list.</summary>
    public static readonly DiagnosticDescriptor NetworkTooLarge = Error(
        DiagnosticIds.NetworkTooLarge, Declaration, "Network too large",
        "Layers \"{0}\" has more parameters than a 64-bit count can hold",
        "The parameter count of the declared network overflows a long.");

    /// <summary>DD0054: a hand-written teacher's Input and Outputs are wrong or mixed with Layers. {0} class, {1} what is wrong.</summary>
    public static readonly DiagnosticDescriptor HandWrittenDeclaration = Error(
        DiagnosticIds.HandWrittenDeclaration, Declaration, "Invalid hand-written teacher declaration",
        "'{0}': {1}",
        "A generated network declares Layers; a hand-written module declares Input (one example's shape, e.g. \"1x28x28\") and Outputs (its number of classes) instead, and nothing that describes generated layers.");

    /// <summary>DD0055: a class declared by its shapes is not a TorchSharp module. {0} class.</summary>
    public static readonly DiagnosticDescriptor HandWrittenNotAModule = Error(
        DiagnosticIds.HandWrittenNotAModule, Declaration, "Hand-written teacher is not a module",
        "'{0}' declares Input and Outputs, so it must be a module written by hand: derive it from TorchSharp.torch.nn.Module<Tensor, Tensor> and give it a forward",
        "With Input and Outputs the generator adds the teacher's members but no layers, constructor or forward; those are the class's own.");

    /// <summary>DD0056: an ONNX teacher's model was not read by the build, or is not a classifier. {0} class, {1} file, {2} what is wrong.</summary>
    public static readonly DiagnosticDescriptor OnnxModelUnreadable = Error(
        DiagnosticIds.OnnxModelUnreadable, Declaration, "ONNX teacher model not usable",
        "'{0}': the ONNX model '{1}' {2}",
        "An ONNX teacher's input shape and classes come from its file, read at build time: add the file as <AdditionalFiles Include=\"...\" />, and give a model whose first input is float [batch, features] or [batch, C, H, W] and whose first output is [batch, classes].");

    /// <summary>DD0050: a convolution or pooling window larger than its (padded) input. {0} position, {1} the item and the shape there.</summary>
    public static readonly DiagnosticDescriptor LayerDoesNotFit = Error(
        DiagnosticIds.LayerDoesNotFit, Declaration, "Layer does not fit its input",
        "Layers at position {0}: {1}",
        "A convolution or pooling window must fit inside its input (with padding): out = (in + 2*pad - kernel) / stride + 1 must be at least 1.");

    /// <summary>DD0051: an image-only item after the network has become a vector. {0} position, {1} the item and the shape there.</summary>
    public static readonly DiagnosticDescriptor ImageLayerOnVector = Error(
        DiagnosticIds.ImageLayerOnVector, Declaration, "Image layer on a vector",
        "Layers at position {0}: {1}",
        "conv, dwconv, maxpool, avgpool, res, gap and flatten read images; after a fully connected layer, gap or flatten (or with a vector input) the network holds a vector.");

    /// <summary>DD0072: an item that does not read what a text network holds there (token ids, a sequence) or that needs a sequence. {0} position, {1} the item and the shape there.</summary>
    public static readonly DiagnosticDescriptor SequenceMismatch = Error(
        DiagnosticIds.SequenceMismatch, Declaration, "Item does not fit a text network",
        "Layers at position {0}: {1}",
        "Token ids are read by embed(D) only; a sequence (steps x features) by conv1d, lstm, gru, bilstm, bigru, positions, transformer, layernorm, dropout and the readouts gap, gmp and first, which make it a vector for the fully connected layers.");

    /// <summary>DD0073: a hint between a sequence and something that is not a sequence of the same length. {0} student layer, {1} its shape, {2} teacher layer, {3} its shape.</summary>
    public static readonly DiagnosticDescriptor SequenceHintMismatch = Error(
        DiagnosticIds.SequenceHintMismatch, Distillation, "Hint between sequences of different steps",
        "Student layer '{0}' gives {1} but teacher layer '{2}' gives {3}: a hint between sequences maps each step's features (TinyBERT), so both must be sequences of the same number of steps",
        "A hint on a text network's hidden states projects the student's features at each step to the teacher's width; the steps must line up, so guide a student layer with as many steps as the teacher's (before a strided conv1d, for instance).");

    /// <summary>DD0052: the last item is not a fully connected layer. {0} position, {1} the item and the shape there.</summary>
    public static readonly DiagnosticDescriptor LastLayerNotDense = Error(
        DiagnosticIds.LastLayerNotDense, Declaration, "Last layer is not fully connected",
        "Layers at position {0}: {1}",
        "A network ends with a fully connected layer whose width is the number of classes, e.g. \"..., gap, 10\".");

    /// <summary>DD0053: a layer's output or the network's counts are too large to represent. {0} position, {1} what.</summary>
    public static readonly DiagnosticDescriptor LayerTooLarge = Error(
        DiagnosticIds.LayerTooLarge, Declaration, "Layer too large",
        "Layers at position {0}: {1}",
        "Each example must fit in one tensor row (at most 2,147,483,647 values) and the counts in 64 bits.");

    /// <summary>DD0004: dropout outside [0, 1). {0} the value.</summary>
    public static readonly DiagnosticDescriptor InvalidDropout = Error(
        DiagnosticIds.InvalidDropout, Declaration, "Dropout out of range",
        "Dropout is {0}; it must be a probability in [0, 1)",
        "Dropout is the probability of zeroing a hidden unit while training: 0 turns it off, 1 would zero everything.");

    /// <summary>DD0005: an activation value that is not a member of the enum. {0} the value.</summary>
    public static readonly DiagnosticDescriptor UnknownActivation = Error(
        DiagnosticIds.UnknownActivation, Declaration, "Unknown activation",
        "Activation value {0} is not one of ReLU, Tanh, GELU, Sigmoid",
        "Activation must name a member of the DeclarativeDistill.Activation enum.");

    /// <summary>DD0006: [Teacher] and [Student] on one class describe different networks. {0} class, {1} property, {2} teacher value, {3} student value.</summary>
    public static readonly DiagnosticDescriptor ConflictingArchitecture = Error(
        DiagnosticIds.ConflictingArchitecture, Declaration, "Teacher and student architectures differ",
        "'{0}' is both teacher and student, but [Teacher] sets {1} = {2} and [Student] sets {1} = {3}; one class is one network",
        "A teacher assistant is one network: give its architecture once, or the same in both attributes.");

    /// <summary>DD0007: an argument of the wrong type. {0} the argument, {1} what it expects.</summary>
    public static readonly DiagnosticDescriptor WrongArgumentType = Error(
        DiagnosticIds.WrongArgumentType, Declaration, "Argument of the wrong type",
        "{0} expects {1}",
        "The attribute argument does not have the type the attribute declares; the compiler's own error says the same in general terms.");

    /// <summary>DD0010: temperature not positive and finite. {0} the value.</summary>
    public static readonly DiagnosticDescriptor InvalidTemperature = Error(
        DiagnosticIds.InvalidTemperature, Distillation, "Temperature out of range",
        "Temperature is {0}; it must be positive and finite",
        "The temperature divides the logits before the softmax: it must be a positive, finite number (Hinton et al. use 1 to 20).");

    /// <summary>DD0011: Alpha outside [0, 1]. {0} the value.</summary>
    public static readonly DiagnosticDescriptor InvalidAlpha = Error(
        DiagnosticIds.InvalidAlpha, Distillation, "Alpha out of range",
        "Alpha is {0}; the weight of the soft loss must be in [0, 1]",
        "Alpha weighs the soft (teacher) term of the loss and must lie in [0, 1].");

    /// <summary>DD0012: Beta outside [0, 1]. {0} the value.</summary>
    public static readonly DiagnosticDescriptor InvalidBeta = Error(
        DiagnosticIds.InvalidBeta, Distillation, "Beta out of range",
        "Beta is {0}; the weight of the hard loss must be in [0, 1] (leave it unset for 1 - Alpha)",
        "Beta weighs the hard (label) term of the loss and must lie in [0, 1]; unset, it is 1 - Alpha.");

    /// <summary>DD0013: Alpha and Beta both zero. {0} class.</summary>
    public static readonly DiagnosticDescriptor NothingToLearn = Error(
        DiagnosticIds.NothingToLearn, Distillation, "Both loss weights are zero",
        "'{0}' has Alpha = 0 and Beta = 0, so its loss is always zero and it would learn nothing",
        "At least one of the soft (Alpha) and hard (Beta) loss weights must be positive.");

    /// <summary>DD0020: the class is not partial. {0} class, {1} attribute.</summary>
    public static readonly DiagnosticDescriptor NotPartial = Error(
        DiagnosticIds.NotPartial, Declaration, "Class must be partial",
        "'{0}' must be declared partial so that [{1}] can generate its network",
        "The generator adds the network's members to the class, which needs the partial modifier.");

    /// <summary>DD0021: the class is generic. {0} class.</summary>
    public static readonly DiagnosticDescriptor GenericClass = Error(
        DiagnosticIds.GenericClass, Declaration, "Class must not be generic",
        "'{0}' is generic; a network class must not have type parameters",
        "A generated network has one fixed architecture, so its class cannot be generic.");

    /// <summary>DD0022: a containing type is not partial. {0} class, {1} containing type.</summary>
    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error(
        DiagnosticIds.ContainingTypeNotPartial, Declaration, "Containing type must be partial",
        "'{0}' is nested in '{1}', which must be partial too",
        "To add members to a nested class, the generator must redeclare every type around it, which needs them partial.");

    /// <summary>DD0023: the class already has a base class. {0} class, {1} base class.</summary>
    public static readonly DiagnosticDescriptor HasBaseClass = Error(
        DiagnosticIds.HasBaseClass, Declaration, "Class must not have a base class",
        "'{0}' derives from '{1}', but a generated network derives from TorchSharp's Module<Tensor, Tensor>",
        "The generator makes the class a TorchSharp module; remove the base class.");

    /// <summary>DD0024: a record, struct, interface, static, abstract or file-local class. {0} class, {1} what it is.</summary>
    public static readonly DiagnosticDescriptor NotAPlainClass = Error(
        DiagnosticIds.NotAPlainClass, Declaration, "Network must be a plain class",
        "'{0}' is {1}; a network must be a plain class: not static, abstract, file-local, a record or a struct",
        "A generated network is a TorchSharp module: an instantiable class that is not a record, and visible outside its file, where the generated part of it lives.");

    /// <summary>DD0025: the class declares a member the generator emits. {0} class, {1} the member.</summary>
    public static readonly DiagnosticDescriptor MemberConflict = Error(
        DiagnosticIds.MemberConflict, Declaration, "Member conflicts with the generated network",
        "'{0}' declares {1}, which the generated network defines; remove or rename it",
        "The generator defines the constructor, forward, the size constants, the layers and, for students, Temperature, Alpha, Beta, DistillationLoss, Objective and MeasureFidelity.");

    /// <summary>DD0030: [Distill] without [Student]. {0} class.</summary>
    public static readonly DiagnosticDescriptor DistillWithoutStudent = Error(
        DiagnosticIds.DistillWithoutStudent, Distillation, "[Distill] needs [Student]",
        "'{0}' has [Distill] but no [Student]; declare the student's layers with [Student(Layers = ...)]",
        "[Distill] describes how a student learns, so the class must also be a [Student].");

    /// <summary>DD0031: a named teacher lacks [Teacher]. {0} type.</summary>
    public static readonly DiagnosticDescriptor NotATeacher = Error(
        DiagnosticIds.NotATeacher, Distillation, "Not a teacher",
        "'{0}' is not a teacher: it has no valid [Teacher] attribute",
        "Every type named in [Distill(typeof(...))] must carry [Teacher] with a valid layer list.");

    /// <summary>DD0032: no teacher to infer. {0} student, {1} namespace.</summary>
    public static readonly DiagnosticDescriptor NoTeacherFound = Error(
        DiagnosticIds.NoTeacherFound, Distillation, "No teacher found",
        "'{0}' names no teacher and namespace '{1}' has no [Teacher] class; name one with [Distill(typeof(...))]",
        "Without arguments, [Distill] uses the only [Teacher] class of the student's namespace.");

    /// <summary>DD0033: several teachers to infer from. {0} student, {1} namespace, {2} the candidates.</summary>
    public static readonly DiagnosticDescriptor AmbiguousTeacher = Error(
        DiagnosticIds.AmbiguousTeacher, Distillation, "Teacher is ambiguous",
        "'{0}' names no teacher and namespace '{1}' has several: {2}; name one with [Distill(typeof(...))]",
        "Without arguments, [Distill] needs exactly one [Teacher] class in the student's namespace.");

    /// <summary>DD0034: the same teacher listed twice. {0} type.</summary>
    public static readonly DiagnosticDescriptor DuplicateTeacher = Error(
        DiagnosticIds.DuplicateTeacher, Distillation, "Teacher listed twice",
        "'{0}' is listed more than once in [Distill]; an ensemble names each teacher once",
        "List each teacher of an ensemble once.");

    /// <summary>DD0035: a cycle of distillations. {0} class, {1} the cycle.</summary>
    public static readonly DiagnosticDescriptor DistillationCycle = Error(
        DiagnosticIds.DistillationCycle, Distillation, "Cycle of distillations",
        "'{0}' learns from itself through a cycle of distillations: {1}",
        "Knowledge flows from a trained teacher to a student; a chain of teacher assistants must end in a teacher that is not distilled from its own students.");

    /// <summary>DD0036: a student names itself. {0} class.</summary>
    public static readonly DiagnosticDescriptor SelfTeacher = Error(
        DiagnosticIds.SelfTeacher, Distillation, "Student is its own teacher",
        "'{0}' names itself as its teacher",
        "A model cannot learn from itself; name a different [Teacher].");

    /// <summary>DD0040: output sizes differ. {0} student, {1} its outputs, {2} teacher, {3} its outputs.</summary>
    public static readonly DiagnosticDescriptor OutputSizeMismatch = Error(
        DiagnosticIds.OutputSizeMismatch, Distillation, "Student and teacher outputs differ",
        "Student '{0}' has {1} outputs but teacher '{2}' has {3}; distillation compares them class by class",
        "The soft loss compares the student's and the teacher's probabilities for the same classes, so the last sizes of their Layers must be equal.");

    /// <summary>
    /// DD0041: inputs differ. {0} student, {1} its input (<c>1x28x28 (784 features)</c> or <c>785 features</c>), {2} teacher,
    /// {3} its input.
    /// </summary>
    public static readonly DiagnosticDescriptor InputSizeMismatch = Error(
        DiagnosticIds.InputSizeMismatch, Distillation, "Student and teacher inputs differ",
        "Student '{0}' takes {1} but teacher '{2}' takes {3}; both must read the same transfer set",
        "Student and teacher see the same examples, so the first items of their Layers must agree: the same number of features, and the same channels, height and width when both take images (a vector student reads an image teacher's examples flattened).");

    /// <summary>DD0057: [Hint] on a class without [Distill]. {0} class.</summary>
    public static readonly DiagnosticDescriptor HintWithoutDistill = Error(
        DiagnosticIds.HintWithoutDistill, Distillation, "Hint without [Distill]",
        "'{0}' has a [Hint] but no [Distill]; a hint guides a student while it is distilled",
        "A hint pairs a teacher layer with a layer of a student that learns from that teacher, so the class needs [Student] and [Distill].");

    /// <summary>DD0058: a hint that does not name both layers. {0} what is missing.</summary>
    public static readonly DiagnosticDescriptor HintIncomplete = Error(
        DiagnosticIds.HintIncomplete, Distillation, "Hint without its layers",
        "[Hint] needs {0}, e.g. [Hint(TeacherLayer = \"res2\", StudentLayer = \"conv3\")]",
        "A hint names the teacher layer whose output is learnt (TeacherLayer) and the student layer that learns it (StudentLayer), as the generated classes' FeatureLayers name them.");

    /// <summary>DD0059: a hint weight that is not positive and finite. {0} the value.</summary>
    public static readonly DiagnosticDescriptor InvalidHintWeight = Error(
        DiagnosticIds.InvalidHintWeight, Distillation, "Invalid hint weight",
        "A hint's Weight must be positive and finite; got {0}",
        "The weight multiplies the hint's mean squared error in the loss; remove the hint rather than weighting it by zero.");

    /// <summary>DD0060: a hint or a layer method names a layer its network does not have. {0} the name, {1} teacher or student, {2} network, {3} its layers, {4} a note.</summary>
    public static readonly DiagnosticDescriptor LayerNotFound = Error(
        DiagnosticIds.LayerNotFound, Distillation, "Unknown layer named",
        "'{0}' is not a layer of the {1} '{2}', whose layers are {3}{4}",
        "Hints and layer methods name layers as the generated classes name their fields (conv1, bn1, res1, hidden1, output: see FeatureLayers); pooling, flattening and gap have no name, so name the layer before them.");

    /// <summary>DD0061: the teacher named by a hint or a layer method is not one the student learns from. {0} the type, {1} student, {2} its teachers.</summary>
    public static readonly DiagnosticDescriptor LayerTeacherNotInDistillation = Error(
        DiagnosticIds.LayerTeacherNotInDistillation, Distillation, "Named teacher is not a teacher of the student",
        "'{0}' is not a teacher of '{1}', which learns from {2}",
        "The Teacher of a hint or a layer method must be one of the teachers of the student's [Distill].");

    /// <summary>DD0062: a hint or layer method of an ensemble student that does not say whose layer it reads. {0} student, {1} its teachers, {2} what reads it.</summary>
    public static readonly DiagnosticDescriptor LayerTeacherAmbiguous = Error(
        DiagnosticIds.LayerTeacherAmbiguous, Distillation, "Teacher of a layer not named",
        "'{0}' learns from an ensemble ({1}); say which teacher {2} with Teacher = typeof(...)",
        "Each teacher of an ensemble has layers of its own, so a hint or a layer method of an ensemble student names its teacher.");

    /// <summary>DD0063: the teacher has no layers to read. {0} teacher, {1} what would read them.</summary>
    public static readonly DiagnosticDescriptor TeacherWithoutLayers = Error(
        DiagnosticIds.TeacherWithoutLayers, Distillation, "Teacher has no known layers",
        "Teacher '{0}' is not declared with Layers (it is written by hand or read from an ONNX file): its layers are not known at compile time, so nothing {1} from them",
        "Hints and layer methods read a teacher's intermediate outputs, which the generator knows only for teachers declared with Layers; methods on the logits (soft targets, [Dkd], [Dist]) work with any teacher.");

    /// <summary>DD0064: the student's map is smaller than the hint's. {0} student layer, {1} its shape, {2} teacher layer, {3} its shape.</summary>
    public static readonly DiagnosticDescriptor HintMapTooSmall = Error(
        DiagnosticIds.HintMapTooSmall, Distillation, "Student map smaller than the hint",
        "Student layer '{0}' gives {1} but teacher layer '{2}' gives {3}: a convolutional regressor cannot enlarge a map, so guide a student layer whose map is at least as large",
        "FitNets' regressor is a convolution without padding whose kernel shrinks the student's map to the teacher's (1x1 when they are equal), so the student's map must be at least as high and as wide.");

    /// <summary>DD0065: the same hint twice. {0} student layer, {1} teacher layer, {2} teacher.</summary>
    public static readonly DiagnosticDescriptor DuplicateHint = Error(
        DiagnosticIds.DuplicateHint, Distillation, "Duplicate hint",
        "'{0}' already learns '{1}' of '{2}' from another [Hint]",
        "Two equal hints are one hint with twice the weight; write it once with the Weight you mean.");

    /// <summary>DD0066: a method attribute on a class without [Distill]. {0} the class, {1} the attribute.</summary>
    public static readonly DiagnosticDescriptor MethodWithoutDistill = Error(
        DiagnosticIds.MethodWithoutDistill, Distillation, "Distillation method without [Distill]",
        "'{0}' has [{1}] but no [Distill]; a method adds a term to the loss of a student while it is distilled",
        "Methods such as [Dkd] or [AttentionTransfer] add terms to a distillation's loss, so the class needs [Student] and [Distill].");

    /// <summary>DD0067: a layer method that does not name both layers. {0} the attribute, {1} what is missing.</summary>
    public static readonly DiagnosticDescriptor MethodIncomplete = Error(
        DiagnosticIds.MethodIncomplete, Distillation, "Layer method without its layers",
        "[{0}] needs {1}, e.g. [{0}(\"res2\", \"conv3\")]",
        "A layer method names the teacher layer (TeacherLayer) and the student layer (StudentLayer) it compares, as the generated classes' FeatureLayers name them.");

    /// <summary>DD0068: a method's constant out of its range. {0} the attribute, {1} the property, {2} what it must be, {3} the value.</summary>
    public static readonly DiagnosticDescriptor InvalidMethodConstant = Error(
        DiagnosticIds.InvalidMethodConstant, Distillation, "Invalid method constant",
        "[{0}]'s {1} must be {2}; got {3}",
        "Temperatures are positive and finite, weights finite and non-negative (positive where 0 would switch the method off: remove the attribute instead), epochs whole numbers.");

    /// <summary>DD0069: a method whose parts are all weighted by 0. {0} the attribute, {1} its weights.</summary>
    public static readonly DiagnosticDescriptor MethodWeighsNothing = Error(
        DiagnosticIds.MethodWeighsNothing, Distillation, "Method weighted by zero",
        "[{0}] weighs every part by 0 ({1}): it adds nothing to the loss",
        "A method whose parts are all weighted by 0 only costs time; give one part a positive weight, or remove the attribute.");

    /// <summary>DD0070: a layer method that cannot compare the two layers' outputs. {0} the attribute, {1} why.</summary>
    public static readonly DiagnosticDescriptor MethodShapesIncompatible = Error(
        DiagnosticIds.MethodShapesIncompatible, Distillation, "Layers a method cannot compare",
        "[{0}]: {1}",
        "Attention transfer and NST compare feature maps position by position, so both layers are maps of one height and width; RKD, similarity-preserving and PKT compare examples within the batch and take layers of any shapes.");

    /// <summary>DD0071: the same method twice (on the same pair of layers). {0} the attribute, {1} what it already does.</summary>
    public static readonly DiagnosticDescriptor DuplicateMethod = Error(
        DiagnosticIds.DuplicateMethod, Distillation, "Duplicate method",
        "[{0}] {1}",
        "The same method on the same layers twice is one term with twice the weight; write it once with the weight you mean.");

    /// <summary>DD9999: the generator failed on a declaration. {0} the declaration, {1} the exception.</summary>
    public static readonly DiagnosticDescriptor InternalError = Error(
        DiagnosticIds.InternalError, Declaration, "Generator failure",
        "DeclarativeDistill could not process '{0}': {1}. Please report this with the declaration.",
        "The generator met a case it does not handle. Other declarations are still generated.");

    /// <summary>DD0042: ensemble teachers disagree on a size. {0} what, {1} first teacher, {2} its size, {3} other teacher, {4} its size.</summary>
    public static readonly DiagnosticDescriptor EnsembleSizeMismatch = Error(
        DiagnosticIds.EnsembleSizeMismatch, Distillation, "Ensemble teachers disagree",
        "The ensemble's teachers disagree on their {0}: '{1}' has {2} but '{3}' has {4}",
        "An ensemble averages its teachers' probabilities class by class, so all its teachers must have the same input and output sizes.");

    /// <summary>DD1001: the student is larger than its teacher in parameters and multiply-adds. {0} student, {1} its parameters, {2} its multiply-adds, {3} teacher, {4} its parameters, {5} its multiply-adds.</summary>
    public static readonly DiagnosticDescriptor StudentLargerThanTeacher = Warning(
        DiagnosticIds.StudentLargerThanTeacher, Distillation, "Student larger than its teacher",
        "Student '{0}' has {1} parameters and {2} multiply-adds, more than its teacher '{3}' with {4} and {5}; distillation usually compresses a large model into a small one",
        "Distilling into a model that is larger in both parameters and multiply-adds is legal (self- or reverse distillation) but is often a swapped pair of Layers.");

    /// <summary>DD1002: Alpha = 0. {0} class.</summary>
    public static readonly DiagnosticDescriptor NoSoftLoss = Warning(
        DiagnosticIds.NoSoftLoss, Distillation, "Alpha = 0 turns distillation off",
        "'{0}' has Alpha = 0: the teacher's outputs get no weight and Distill trains on the labels alone",
        "With Alpha = 0 the loss is Beta times the hard-label cross-entropy; Fit does the same without running the teacher.");

    /// <summary>DD1003: a temperature outside 1..20. {0} the value.</summary>
    public static readonly DiagnosticDescriptor UnusualTemperature = Warning(
        DiagnosticIds.UnusualTemperature, Distillation, "Unusual temperature",
        "Temperature is {0}; distillation papers use 1 to 20 (below 1 sharpens the teacher's probabilities instead of softening them)",
        "Hinton et al. (2015) found temperatures from about 2.5 to 20 useful depending on the student's size; outside 1..20 is legal but unusual.");

    /// <summary>DD1004: dropout on a network without hidden layers. {0} class, {1} the dropout.</summary>
    public static readonly DiagnosticDescriptor DropoutWithoutHiddenLayers = Warning(
        DiagnosticIds.DropoutWithoutHiddenLayers, Declaration, "Dropout has no effect",
        "'{0}' has Dropout = {1} but no hidden layer; dropout is applied between hidden layers only",
        "A network with two sizes in Layers is one linear layer, with no hidden units to drop.");

    /// <summary>DD1005: HintTraining on a student without hints. {0} class.</summary>
    public static readonly DiagnosticDescriptor HintTrainingWithoutHints = Warning(
        DiagnosticIds.HintTrainingWithoutHints, Distillation, "HintTraining has no effect",
        "'{0}' sets HintTraining but has no [Hint]; it distils without hints",
        "HintTraining chooses how a student with [Hint] attributes trains; without one there is nothing to choose.");

    private static DiagnosticDescriptor Warning(string id, string category, string title, string message, string description) =>
        new(id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true, description);

    private static DiagnosticDescriptor Error(string id, string category, string title, string message, string description) =>
        new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, description);
}
