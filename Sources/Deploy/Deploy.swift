// Deployment models and `rewind doctor` diagnosis land here (issue 4).
enum DeployNamespace {}
