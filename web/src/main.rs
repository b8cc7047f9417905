fn main() {
    clusterplay_web::start();
}
