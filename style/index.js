import './base.css';
import './timeline.css';
import './endpoints.css';
